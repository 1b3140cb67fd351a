import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.destroy());

describe('a second process on the same data directory', () => {
  it('stops with a plain message naming the holder, not a stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', FUNNELHOUSE_DATA_DIR: s.dataDir, FUNNELHOUSE_LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`is in use by another process (PID ${process.pid})`);
    expect(r.stderr).toContain('FUNNELHOUSE_DATA_DIR');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack frames
  });

  it('refuses a bad configuration with a message naming the variable', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty', FUNNELHOUSE_ADMIN_KEY: 'short' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toMatch(/PORT: /);
    expect(r.stderr).toMatch(/FUNNELHOUSE_ADMIN_KEY: must be at least 16 characters/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
