import { printBanner, printRoleBanner } from './banner.ts';
import { DataDirLockedError } from './clickhouse/client.ts';
import { ConfigError, loadConfig } from './config.ts';
import { removeLocalServer, writeLocalServer } from './local-server.ts';
import { createLogger } from './logger.ts';
import { type RunningServer, startServer } from './server.ts';

/** The command-line entry: start, print where everything is, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  const log = createLogger(config.logLevel);
  let server: RunningServer;
  try {
    server = await startServer(config, log);
  } catch (err) {
    if (err instanceof DataDirLockedError) return fail(err.message);
    throw err;
  }
  const store = config.clickhouse.kind === 'embedded' ? config.clickhouse.path : config.clickhouse.url;
  if (config.role === 'all') printBanner(server, store, config.adminKey !== undefined);
  else printRoleBanner(server, config, store);
  // `pnpm seed` on this machine finds this server by its data directory, on whatever port.
  writeLocalServer(config.dataDir, server.url);

  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    removeLocalServer(config.dataDir);
    const force = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

function fail(message: string): void {
  process.stderr.write(`\n${message}\n\n`);
  process.exitCode = 1;
}

await main();
