import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Flusher, rangeToken } from './flusher.ts';
import { Spool } from './spool.ts';

type Row = { id: string };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function openSpool(dir = mkdtempSync(join(tmpdir(), 'funnelhouse-flusher-'))) {
  dirs.push(dir);
  return { dir, spool: await Spool.open<Row>({ dir, maxBytes: 1_000_000, segmentBytes: 4096 }) };
}
const rows = (i: number): Row[] => [{ id: `${i}a` }, { id: `${i}b` }];

/** An insert into an array that fails its first `failures` calls, remembering every token. */
function flakyStore(failures: number) {
  const stored: Row[] = [];
  const tokens: (string | undefined)[] = [];
  const sizes: number[] = [];
  let calls = 0;
  return {
    stored,
    tokens,
    sizes,
    async insert(batch: Row[], token: string | undefined) {
      tokens.push(token);
      sizes.push(batch.length);
      if (calls++ < failures) throw new Error(`store down (call ${calls})`);
      stored.push(...batch);
    },
  };
}

const keepAll = (r: Row[]) => Promise.resolve(r);

describe('Flusher', () => {
  it('retries a failed batch with the same token until it is stored, once', async () => {
    const { spool } = await openSpool();
    const store = flakyStore(2);
    const delays: number[] = [];
    const f = new Flusher<Row>({
      spool,
      insert: store.insert,
      firstVersions: keepAll,
      maxRows: 100,
      intervalMs: 5,
      backoffMs: (n) => {
        delays.push(n);
        return 10;
      },
    });
    f.start();
    await spool.append(rows(1));
    await spool.waitDrained();
    expect(store.stored).toEqual(rows(1));
    expect(store.tokens).toHaveLength(3);
    expect(new Set(store.tokens).size).toBe(1);
    expect(delays).toEqual([0, 1]);
    await spool.closeWrites();
    await f.stop(1000);
    await spool.close();
  });

  it('inserts in log order, at most maxRows at a time', async () => {
    const { spool } = await openSpool();
    const store = flakyStore(0);
    const f = new Flusher<Row>({
      spool,
      insert: store.insert,
      firstVersions: keepAll,
      maxRows: 10,
      intervalMs: 5,
    });
    for (let i = 0; i < 40; i++) await spool.append(rows(i));
    f.start();
    await spool.waitDrained();
    expect(store.stored).toEqual(Array.from({ length: 40 }, (_, i) => rows(i)).flat());
    expect(Math.max(...store.sizes)).toBeLessThanOrEqual(10);
    expect(store.sizes.length).toBeGreaterThanOrEqual(8);
    expect(new Set(store.tokens).size, 'one token per range').toBe(store.tokens.length);
    await spool.closeWrites();
    await f.stop(1000);
    await spool.close();
  });

  it('gives up at the shutdown deadline while the store is down; the next start retries the same range', async () => {
    const { dir, spool } = await openSpool();
    const store = flakyStore(Number.POSITIVE_INFINITY);
    const f = new Flusher<Row>({
      spool,
      insert: store.insert,
      firstVersions: keepAll,
      maxRows: 100,
      intervalMs: 5,
      backoffMs: () => 50,
    });
    f.start();
    for (let i = 0; i < 3; i++) await spool.append(rows(i));
    await new Promise((r) => setTimeout(r, 100));
    await spool.closeWrites();
    const started = Date.now();
    await f.stop(300);
    expect(Date.now() - started).toBeLessThan(1500);
    await spool.close();
    const firstToken = store.tokens[0];

    const again = await Spool.open<Row>({ dir, maxBytes: 1_000_000, segmentBytes: 4096 });
    expect(again.pendingRecords).toBe(3);
    const batch = await again.nextBatch(100);
    if (!batch) throw new Error('nothing to replay');
    expect(rangeToken(again.id, batch.range)).toBe(firstToken);
    await again.close();
  });
});
