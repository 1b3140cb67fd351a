import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { openStore, serverClientOptions } from './client.ts';

/**
 * The TLS options reach the wire: a private CA, a server certificate it signed and a client
 * certificate, made with openssl; an HTTPS endpoint that demands a client certificate answers
 * `/ping` (the client's health check) and nothing else. This checks the handshake only: no
 * ClickHouse query is answered here (queries against a real server: `test/remote/`).
 */
let dir: string;
let server: Server;
let url: string;
const clientNames: string[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'funnelhouse-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=funnelhouse test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, cn, ext] of [
    ['server', 'localhost', ['-extfile', 'san.ext']],
    ['client', 'funnelhouse-ingest-1', []],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      `${name}.pem`,
      ...ext,
    );
  }
  const pem = (f: string) => readFileSync(join(dir, f));
  server = createServer(
    {
      key: pem('server.key'),
      cert: pem('server.pem'),
      ca: pem('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      clientNames.push(String(peer.subject?.CN ?? ''));
      res.writeHead(req.url?.startsWith('/ping') ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(req.url?.startsWith('/ping') ? 'Ok.\n' : '');
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

function target(env: Record<string, string>) {
  const cfg = loadConfig({ CLICKHOUSE_URL: url, ...env }).clickhouse;
  if (cfg.kind !== 'server') throw new Error('expected a server target');
  return cfg;
}

describe('TLS to a ClickHouse server', () => {
  it('trusts the given CA and presents the client certificate', async () => {
    const cfg = target({
      CLICKHOUSE_CA_FILE: join(dir, 'ca.pem'),
      CLICKHOUSE_CERT_FILE: join(dir, 'client.pem'),
      CLICKHOUSE_KEY_FILE: join(dir, 'client.key'),
    });
    const ch = createClient(serverClientOptions(cfg));
    try {
      const r = await ch.ping();
      expect(r.success).toBe(true);
      expect(clientNames.at(-1)).toBe('funnelhouse-ingest-1');
    } finally {
      await ch.close();
    }
  });

  it('refuses a server its CA did not sign (no CA file: the usual roots)', async () => {
    const ch = createClient(serverClientOptions(target({})));
    try {
      const r = await ch.ping();
      expect(r.success).toBe(false);
      expect(String((r as { error?: unknown }).error)).toMatch(/self.signed|certificate/i);
    } finally {
      await ch.close();
    }
  });

  it('is refused by the server without a client certificate it asked for', async () => {
    const ch = createClient(serverClientOptions(target({ CLICKHOUSE_CA_FILE: join(dir, 'ca.pem') })));
    try {
      const r = await ch.ping();
      expect(r.success).toBe(false);
      expect(String((r as { error?: unknown }).error)).toMatch(/certificate required/i);
    } finally {
      await ch.close();
    }
  });

  it('names the variables of a TLS setting that cannot work', () => {
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CA_FILE: '/x.pem' })).toThrow(
      /CLICKHOUSE_CA_FILE.*https/,
    );
    expect(() => loadConfig({ CLICKHOUSE_URL: url, CLICKHOUSE_CERT_FILE: '/c.pem' })).toThrow(
      /CERT_FILE, CLICKHOUSE_KEY_FILE: give both/,
    );
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'events' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLICKHOUSE_URL: url, CLICKHOUSE_CLUSTER: 'bad-name' })).toThrow(/identifier/);
    expect(() => loadConfig({ FUNNELHOUSE_ROLE: 'ingest' })).toThrow(/ingest needs CLICKHOUSE_URL/);
  });
});

describe('the server client', () => {
  it('inserts the spool batches as they are (no async inserts); on a cluster, synchronously on every shard', async () => {
    const one = target({});
    expect(serverClientOptions(one).clickhouse_settings).toEqual({ async_insert: 0 });
    const cfg = target({ CLICKHOUSE_CLUSTER: 'events' });
    expect(cfg.cluster).toBe('events');
    expect(serverClientOptions(cfg).clickhouse_settings).toEqual({
      async_insert: 0,
      insert_distributed_sync: 1,
    });
    // Opening a store connects to nothing yet: it carries the cluster for the DDL and queries.
    const store = await openStore(cfg);
    try {
      expect(store.cluster).toBe('events');
      expect(store.analytics.cluster).toBe('events');
      expect(store.kind).toBe('server');
    } finally {
      await store.close();
    }
  });
});
