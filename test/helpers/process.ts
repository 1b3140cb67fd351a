import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore, select } from '@funnelhouse/server';
import { ADMIN_KEY } from './server.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One running server process. */
export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  exited: Promise<Exit>;
  /** Sends `signal` and waits for the process to end. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<Exit>;
}

/**
 * Runs the real server (`node --import tsx server/src/main.ts`) as child processes on one data
 * directory, one at a time, keeping everything they printed (for the client-IP search).
 */
export class ServerRunner {
  /** stdout and stderr of every process started so far. */
  logs = '';
  private current: ServerProcess | undefined;

  constructor(
    readonly dataDir: string,
    private readonly baseEnv: Record<string, string> = {},
  ) {}

  /** Starts a process on the data directory and resolves once it listens. */
  async start(env: Record<string, string> = {}): Promise<ServerProcess> {
    if (this.current) throw new Error('a server process is still running on this directory');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        FUNNELHOUSE_DATA_DIR: this.dataDir,
        FUNNELHOUSE_ADMIN_KEY: ADMIN_KEY,
        FUNNELHOUSE_DEMO: '0',
        FUNNELHOUSE_TRUST_PROXY: '1',
        FUNNELHOUSE_LOG_LEVEL: 'debug',
        ...this.baseEnv,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        this.current = undefined;
        resolve({ code, signal });
      });
    });
    const port = await this.listening(child, exited);
    const proc: ServerProcess = {
      url: `http://127.0.0.1:${port}`,
      port,
      pid: child.pid as number,
      exited,
      async stop(signal) {
        child.kill(signal);
        return exited;
      },
    };
    this.current = proc;
    return proc;
  }

  /** Waits for the `{"msg":"listening","port":N}` log line. */
  private listening(child: ChildProcess, exited: Promise<Exit>): Promise<number> {
    return new Promise((resolve, reject) => {
      let pending = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start within 30 s:\n${this.logs.slice(-3000)}`));
      }, 30_000);
      child.stderr?.on('data', (d: Buffer) => {
        this.logs += d.toString();
      });
      child.stdout?.on('data', (d: Buffer) => {
        const text = d.toString();
        this.logs += text;
        pending += text;
        const m = /"msg":"listening","port":(\d+)/.exec(pending);
        if (m) {
          clearTimeout(timer);
          pending = '';
          resolve(Number(m[1]));
        } else if (pending.length > 100_000) pending = pending.slice(-1000);
      });
      void exited.then((e) => {
        clearTimeout(timer);
        reject(
          new Error(`server exited (${e.code ?? e.signal}) before listening:\n${this.logs.slice(-3000)}`),
        );
      });
    });
  }
}

/** A number from the server's Prometheus text (first series whose name and labels match). */
export async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** Polls until the spool of the server at `url` holds no unflushed record. */
export async function waitDrained(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await metric(url, 'funnelhouse_spool_pending_records')) > 0) {
    if (Date.now() > until) throw new Error('spool did not drain');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * What a stopped server left in ClickHouse for a site: how many rows each event id has, and
 * every row as JSON text. Opens the data directory in this process (no server may hold it).
 */
export async function readStored(
  dataDir: string,
  siteId: string,
): Promise<{ counts: Map<string, number>; rowsJson: string }> {
  const store = await openStore({
    kind: 'embedded',
    path: `${dataDir}/clickhouse`,
    database: 'funnelhouse',
  });
  try {
    const rows = await select<Record<string, unknown>>(
      store,
      'SELECT * FROM {db:Identifier}.events_v1 WHERE site_id = {site:String}',
      { site: siteId },
    );
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(String(r.event_id), (counts.get(String(r.event_id)) ?? 0) + 1);
    return { counts, rowsJson: JSON.stringify(rows) };
  } finally {
    await store.close();
  }
}
