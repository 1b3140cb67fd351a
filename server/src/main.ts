import { DataDirLockedError } from './clickhouse/client.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { DEMO_SITE_ID, type RunningServer, startServer } from './server.ts';
import { snippetIntegrity } from './static/routes.ts';

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
  if (config.role === 'all') printBanner(server, store);
  else printRoleBanner(server, config, store);

  const stop = (signal: string) => {
    log.info('shutting down', { signal });
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

function printBanner(s: RunningServer, store: string): void {
  const u = s.url;
  const integrity = snippetIntegrity();
  const lines = [
    '',
    'Funnelhouse is running.',
    `  Dashboard      ${u}/`,
    `  Demo shop      ${u}/demo/`,
    `  Snippet        ${u}/f.js${integrity ? `  (integrity ${integrity})` : '  (not built)'}`,
    `  Collect        ${u}/collect`,
    `  API            ${u}/api/v1   (health ${u}/healthz, metrics ${u}/metrics)`,
    `  ClickHouse     ${store}`,
    `  Demo site      id "${DEMO_SITE_ID}", site key "demo"`,
    s.generated.adminKey
      ? `  Admin key      ${s.generated.adminKey}   (shown once: save it, or set FUNNELHOUSE_ADMIN_KEY)`
      : '  Admin key      as set in FUNNELHOUSE_ADMIN_KEY or shown at first start',
    s.generated.demoApiKey
      ? `  Demo API key   ${s.generated.demoApiKey}   (shown once: save it)`
      : `  Demo API key   shown at first start; make another: curl -X POST -H "Authorization: Bearer ADMIN_KEY" ${u}/api/v1/sites/demo/keys`,
    '',
    `  Sign in        open ${u}/ and paste the demo API key (the demo site's reports) or the admin key`,
    '                 (every site, and key management); run pnpm seed first for demo traffic',
    '',
    `  Try: pnpm seed   then   curl -H "Authorization: Bearer DEMO_API_KEY" "${u}/api/v1/sites/demo/overview?range=7d"`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A node of a larger deployment: what it serves and where its data goes, no keys. */
function printRoleBanner(s: RunningServer, config: Config, store: string): void {
  const cluster = config.clickhouse.kind === 'server' && config.clickhouse.cluster;
  const serves =
    config.role === 'ingest'
      ? `${s.url}/collect and POST ${s.url}/api/v1/sites/:id/events (spool ${config.spool.dir})`
      : `${s.url}/ (dashboard), ${s.url}/api/v1 (reports, admin); no ingestion`;
  const lines = [
    '',
    `Funnelhouse ${config.role} node is running.`,
    `  Serves         ${serves}`,
    `  ClickHouse     ${store}${cluster ? ` (cluster ${cluster})` : ''}`,
    ...(s.generated.adminKey
      ? [`  Admin key      ${s.generated.adminKey}   (shown once: save it, or set FUNNELHOUSE_ADMIN_KEY)`]
      : []),
    ...(s.generated.demoApiKey ? [`  Demo API key   ${s.generated.demoApiKey}   (shown once: save it)`] : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function fail(message: string): void {
  process.stderr.write(`\n${message}\n\n`);
  process.exitCode = 1;
}

await main();
