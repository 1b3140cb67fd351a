import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRecords, type InputRecord, ndjsonRecords } from './records.ts';

const dir = mkdtempSync(join(tmpdir(), 'fh-records-'));
async function all(gen: AsyncGenerator<InputRecord>): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('ndjsonRecords', () => {
  const text = '{"a":"é"}\r\n\n{"b":2}\nnot json\n[1]\n{"c":"日本"}';
  const path = join(dir, 'a.ndjson');
  writeFileSync(path, text);

  it('numbers physical lines, skips blank ones, and ends each record at its byte offset', async () => {
    const recs = await all(ndjsonRecords(path, 0, 1));
    expect(recs.map((r) => [r.line, r.value, r.error])).toEqual([
      [1, { a: 'é' }, undefined],
      [3, { b: 2 }, undefined],
      [4, undefined, 'line is not valid JSON'],
      [5, undefined, 'line is not a JSON object'],
      [6, { c: '日本' }, undefined],
    ]);
    expect(recs.at(-1)?.end).toBe(Buffer.byteLength(text));
    expect(recs[0]?.end).toBe(Buffer.byteLength('{"a":"é"}\r\n'));
  });

  it('resumes from any record end with the same records after it', async () => {
    const recs = await all(ndjsonRecords(path, 0, 1));
    for (const [i, r] of recs.entries()) {
      const rest = await all(ndjsonRecords(path, r.end, r.line + 1));
      const want = recs.slice(i + 1);
      expect(rest.map((x) => x.raw)).toEqual(want.map((x) => x.raw));
      expect(rest.map((x) => x.end)).toEqual(want.map((x) => x.end));
    }
  });
});

describe('ndjsonRecords with a line limit', () => {
  // A line over the limit that spans several 256 KiB read chunks, one that ends a chunk's worth of
  // pieces exactly at the limit, and one over it at the end of the file without a newline.
  const big = `{"t":"${'x'.repeat(600_000)}"}`;
  const atLimit = `{"t":"${'y'.repeat(92)}"}`; // 100 bytes
  const text = `{"a":1}\n${big}\n${atLimit}\n{"b":"日本"}\r\n${big}`;
  const path = join(dir, 'long.ndjson');
  writeFileSync(path, text);

  it('reports a line over the limit as line_too_long, with its length and end, and goes on', async () => {
    const recs = await all(ndjsonRecords(path, 0, 1, 100));
    expect(recs.map((r) => [r.line, r.code ?? null, r.value ?? null])).toEqual([
      [1, null, { a: 1 }],
      [2, 'line_too_long', null],
      [3, null, { t: 'y'.repeat(92) }],
      [4, null, { b: '日本' }],
      [5, 'line_too_long', null],
    ]);
    expect(recs[1]?.error).toBe(`line is ${big.length} bytes; a line may hold at most 100`);
    expect(recs[1]?.raw).toBe('');
    expect(recs.map((r) => r.end)).toEqual(
      [1, 2, 3, 4, 5].map(
        (n) => Buffer.byteLength(text.split('\n').slice(0, n).join('\n')) + (n < 5 ? 1 : 0),
      ),
    );
    // Resuming after the long line reads the same records.
    const rest = await all(ndjsonRecords(path, recs[1]?.end ?? 0, 3, 100));
    expect(rest.map((r) => [r.line, r.end])).toEqual(recs.slice(2).map((r) => [r.line, r.end]));
  });
});

describe('csvRecords', () => {
  const text = 'ts,url,title\n1,https://a.example/,"x, ""y""\nz"\n2,https://b.example/,plain\n';
  const path = join(dir, 'a.csv');
  writeFileSync(path, text);

  it('reads quoted cells across lines and resumes mid-file with the header it saw', async () => {
    let columns: string[] | undefined;
    const recs = await all(csvRecords(path, 0, 2, undefined, (c) => (columns = c)));
    expect(columns).toEqual(['ts', 'url', 'title']);
    expect(recs.map((r) => [r.line, r.value?.title])).toEqual([
      [2, 'x, "y"\nz'],
      [3, 'plain'],
    ]);
    const rest = await all(csvRecords(path, recs[0]?.end ?? 0, 3, columns, () => {}));
    expect(rest.map((r) => [r.line, r.value, r.end])).toEqual([
      [3, { ts: '2', url: 'https://b.example/', title: 'plain' }, Buffer.byteLength(text)],
    ]);
  });
});
