import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `server.json` in the data directory: where the server that holds it answers, so that commands
 * run on the same machine (`pnpm seed`) find a server started on another port (`PORT=9000 npm
 * start`) with no flag to add. It holds no key. Written once the server listens, removed when it
 * stops; a file left by a killed server names a process that is gone and is ignored.
 */
const FILE = 'server.json';

interface LocalServer {
  url: string;
  pid: number;
}

export function writeLocalServer(dataDir: string, url: string): void {
  const body: LocalServer = { url, pid: process.pid };
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(body)}\n`);
}

export function removeLocalServer(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}

/** The URL of the live server that uses `dataDir`, or undefined when none does. */
export function readLocalServer(dataDir: string): string | undefined {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return undefined;
  try {
    const { url, pid } = JSON.parse(readFileSync(path, 'utf8')) as LocalServer;
    process.kill(pid, 0); // throws when no such process lives
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}
