import { collector } from './build.ts';
import type { CorpusCase } from './types.ts';

/** 4 MiB: the server events API's body limit, and the importer's line limit. */
const LIMIT = 4 * 1024 * 1024;
const DAY_AGO = '"$NOW-86400000"';

/** An NDJSON event line with `props` of three values of `chars` × `ch` (a few KB of UTF-8). */
const wideLine = (prefix: string, ch: string, chars: number) =>
  `{"id":"${prefix}-$I","type":"pageview","ts":${DAY_AGO},"url":"https://shop.example/${prefix}","visitor_id":"v-$I","props":{"a":"${ch.repeat(chars)}","b":"${ch.repeat(chars)}","c":"${ch.repeat(chars)}"}}`;
const plain = (prefix: string) =>
  `{"id":"${prefix}-$I","type":"pageview","ts":${DAY_AGO},"url":"https://shop.example/p","visitor_id":"v-$I"}`;

/**
 * Import files whose size is in bytes, not characters: non-Latin text (3 and 4 UTF-8 bytes a
 * character) that counting characters sent as one 4.4 MB request (`413`, exit 1, nothing
 * imported), and lines too long to send at all, rejected on their own while the run goes on (a
 * 64 MiB line used to take 625 MB and end the run; the case bounds the importer's peak RSS).
 */
export function importBytesCases(): CorpusCase[] {
  const { out, add } = collector('import_bytes', 'import-bytes');
  const stored = (n: number, rejects: { line: number; code: string }[] = [], max_rss_mb?: number) => ({
    status: 0,
    outcome: 'stored' as const,
    rows: n,
    import: {
      stored: n,
      rejected_by_code: Object.fromEntries(
        [...new Set(rejects.map((r) => r.code))].map((c) => [c, rejects.filter((r) => r.code === c).length]),
      ),
      rejects,
      ...(max_rss_mb ? { max_rss_mb } : {}),
    },
  });
  for (const [name, ch, chars, n] of [
    ['1,500 Japanese events of 4.4 KB', '日', 490, 1500],
    ['1,200 emoji events of 4 KB', '😀', 333, 1200],
    ['1,000 Cyrillic events of 2.9 KB', 'ж', 490, 1000],
  ] as const) {
    add(name, {
      import: { format: 'ndjson', lines: [{ text: wideLine('w', ch, chars), repeat: n }] },
      expect: stored(n),
    });
  }
  add('1,500 Japanese rows of CSV', {
    import: {
      format: 'csv',
      lines: [
        { text: 'id,type,ts,url,props' },
        {
          text: `c-$I,pageview,${DAY_AGO},https://shop.example/csv,"{""a"":""${'語'.repeat(490)}"",""b"":""${'語'.repeat(490)}"",""c"":""${'語'.repeat(490)}""}"`,
          repeat: 1500,
        },
      ],
    },
    expect: stored(1500),
  });
  const around = (name: string, huge: string, rss?: number) =>
    add(name, {
      import: {
        format: 'ndjson',
        lines: [
          { text: plain('before'), repeat: 100 },
          { text: huge },
          { text: plain('after'), repeat: 100 },
        ],
      },
      expect: stored(200, [{ line: 101, code: 'line_too_long' }], rss),
    });
  /** A line of `bytes` bytes once its `"$NOW-86400000"` (15 characters) is 13 digits. */
  const padded = (bytes: number) => {
    const head = `{"id":"huge","type":"pageview","ts":${DAY_AGO},"url":"https://shop.example/","title":"`;
    return `${head}$PAD(${bytes - head.length})"}`;
  };
  around('a 64 MiB line between valid ones', padded(64 * 1024 * 1024), 400);
  around('a line one byte over 4 MiB', padded(LIMIT + 1));
  // Under the line limit as read, over the request limit once sent (the envelope added):
  // refused by the importer, never posted.
  around('a line that fits but whose request would not', padded(LIMIT - 24));
  add('a line of exactly 4 MiB is read, not skipped', {
    import: {
      format: 'ndjson',
      lines: [
        { text: plain('a'), repeat: 3 },
        { text: `{"x":"$PAD(${LIMIT - 8})"}` },
        { text: plain('b'), repeat: 3 },
      ],
    },
    // Read and parsed: it has no ts, so the importer says so.
    expect: stored(6, [{ line: 4, code: 'invalid_timestamp' }]),
  });
  return out;
}
