import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitDrained } from '../helpers/process.ts';
import { tempDir } from '../helpers/tmp.ts';

/**
 * The first hour, as a new user meets it: the real `server/src/main.ts` (what `npm start` runs)
 * on a port other than 8787, its banner's "Try" lines pasted into a shell as they are, `pnpm
 * seed` with no flag among them. The seed must find this server, the keys must be in the
 * variables the commands use, and the demo experiments must answer without `--key`.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const dir = tempDir();
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  dir.remove();
});

/** Starts main.ts; resolves with everything it printed once the banner's Try block has ended. */
function start(env: Record<string, string>): Promise<{ out: string; url: string }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      FUNNELHOUSE_DATA_DIR: dir.path,
      FUNNELHOUSE_TRUST_PROXY: 'loopback',
      FUNNELHOUSE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /Dashboard +(http:\/\/\S+)\//.exec(out)?.[1];
      if (url && /Try \(.*\n(?: {4}.*\n)+\n/.test(out)) resolve({ out, url });
    });
    child?.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child?.once('exit', (code) => reject(new Error(`main.ts exited (${code}) before its banner:\n${out}`)));
  });
}

function stop(): Promise<void> {
  return new Promise((resolve) => {
    child?.once('exit', () => resolve());
    child?.kill('SIGTERM');
  });
}

/** The banner's Try lines, without their indentation. */
const tryLines = (out: string) =>
  (/Try \(.*\n((?: {4}.*\n)+)/.exec(out)?.[1] ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.trim());

/** Runs the lines in one bash, as pasted; `omit` drops lines that start with it. */
async function paste(lines: string[], env: Record<string, string> = {}, omit?: string): Promise<string> {
  const script = ['set -e', ...lines.filter((l) => !(omit && l.startsWith(omit)))].join('\n');
  const { stdout } = await run('bash', ['-c', script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', FUNNELHOUSE_DATA_DIR: dir.path, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** The JSON answers the curl lines printed (one after another, as a terminal shows them). */
const answers = (stdout: string) =>
  stdout
    .split(/(?=\{"site_id")/)
    .filter((part) => part.startsWith('{"site_id"'))
    .map((part) => JSON.parse(part.trim()) as Record<string, unknown>);

describe('the first hour, from the banner', () => {
  let adminKey = '';
  let visitors = 0;

  it('first start: the Try lines (plain `pnpm seed` included) work as pasted', async () => {
    const { out, url } = await start({});
    expect(url).not.toBe('http://localhost:8787');
    const lines = tryLines(out);
    expect(lines).toContain('pnpm seed');
    adminKey = /export ADMIN_KEY=(fha_\S+)/.exec(lines.join('\n'))?.[1] ?? '';
    expect(adminKey).not.toBe('');
    const printed = await paste(lines.slice(0, lines.indexOf('pnpm seed') + 1));
    expect(printed).toContain(`Seeding ${url}`);
    await waitDrained(url);
    const [overview, results] = answers(await paste(lines, {}, 'pnpm seed'));
    visitors = (overview?.totals as { visitors: number } | undefined)?.visitors ?? 0;
    expect(visitors).toBeGreaterThan(500);
    // The demo experiments exist without --key: the server defined them with the demo site.
    expect(results?.experiment_key).toBe('cta-color');
    const units = ((results?.variants ?? []) as { units: number }[]).map((v) => v.units);
    expect(units).toHaveLength(2);
    for (const n of units) expect(n).toBeGreaterThan(10);
    await stop();
    expect(existsSync(`${dir.path}/server.json`)).toBe(false);
  }, 600_000);

  it('a later start (keys not shown again, admin key in the environment): the Try lines make a key and answer', async () => {
    const env = { FUNNELHOUSE_ADMIN_KEY: adminKey };
    const { out } = await start(env);
    const lines = tryLines(out);
    expect(lines[0]).toBe('export ADMIN_KEY="$FUNNELHOUSE_ADMIN_KEY"');
    const [overview, results] = answers(await paste(lines, env, 'pnpm seed'));
    expect((overview?.totals as { visitors: number } | undefined)?.visitors).toBe(visitors);
    expect(results?.experiment_key).toBe('cta-color');
    await stop();
  }, 300_000);
});
