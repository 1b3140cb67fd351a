import { describe, expect, it } from 'vitest';
import { BufferClosedError, WriteBuffer } from './write-buffer.ts';

interface Call {
  rows: number[];
  token: string;
}

function recorder(failFirst = 0) {
  const calls: Call[] = [];
  let failures = failFirst;
  return {
    calls,
    insert: async (rows: number[], token: string) => {
      calls.push({ rows: [...rows], token });
      if (failures > 0) {
        failures--;
        throw new Error('store down');
      }
    },
  };
}

describe('WriteBuffer', () => {
  it('answers a caller only after the insert that carried its rows', async () => {
    const r = recorder();
    const buf = new WriteBuffer<number>({ insert: r.insert, idOf: String, intervalMs: 10 });
    let done = false;
    const p = buf.add([1, 2]).then(() => {
      done = true;
    });
    expect(done).toBe(false);
    expect(r.calls).toHaveLength(0);
    await p;
    expect(r.calls).toEqual([{ rows: [1, 2], token: expect.any(String) }]);
  });

  it('groups rows of many callers into one insert on the timer', async () => {
    const r = recorder();
    const buf = new WriteBuffer<number>({ insert: r.insert, idOf: String, intervalMs: 20 });
    await Promise.all([buf.add([1]), buf.add([2, 3]), buf.add([4])]);
    expect(r.calls.map((c) => c.rows)).toEqual([[1, 2, 3, 4]]);
  });

  it('flushes as soon as maxRows rows wait', async () => {
    const r = recorder();
    const buf = new WriteBuffer<number>({ insert: r.insert, idOf: String, maxRows: 3, intervalMs: 60_000 });
    await buf.add([1, 2, 3]);
    expect(r.calls).toHaveLength(1);
  });

  it('flushes what waits at close, then refuses new rows', async () => {
    const r = recorder();
    const buf = new WriteBuffer<number>({ insert: r.insert, idOf: String, intervalMs: 60_000 });
    const p = buf.add([7]);
    await buf.close();
    await p;
    expect(r.calls.map((c) => c.rows)).toEqual([[7]]);
    await expect(buf.add([8])).rejects.toBeInstanceOf(BufferClosedError);
  });

  it('retries a failed insert with the same deduplication token', async () => {
    const r = recorder(2);
    const flushes: boolean[] = [];
    const buf = new WriteBuffer<number>({
      insert: r.insert,
      idOf: String,
      intervalMs: 5,
      attempts: 3,
      backoffMs: () => 1,
      onFlush: (f) => flushes.push(f.ok),
    });
    await buf.add([1, 2]);
    expect(r.calls).toHaveLength(3);
    expect(new Set(r.calls.map((c) => c.token)).size).toBe(1);
    expect(flushes).toEqual([true]);
  });

  it('tells every waiter when all attempts failed', async () => {
    const r = recorder(5);
    const buf = new WriteBuffer<number>({
      insert: r.insert,
      idOf: String,
      intervalMs: 5,
      attempts: 2,
      backoffMs: () => 1,
    });
    const results = await Promise.allSettled([buf.add([1]), buf.add([2])]);
    expect(results.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(r.calls).toHaveLength(2);
  });

  it('derives the token from the ids, so different batches get different tokens', async () => {
    const r = recorder();
    const buf = new WriteBuffer<number>({ insert: r.insert, idOf: String, intervalMs: 1 });
    await buf.add([1]);
    await buf.add([2]);
    expect(r.calls[0]?.token).not.toBe(r.calls[1]?.token);
  });
});
