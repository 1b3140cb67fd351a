import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';

/** The content codings a static file is offered in, best first: brotli is smaller than gzip. */
export const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number];

/** File name suffix of a precompressed copy written by a build (`f.js.br`, `f.js.gz`). */
export const CODING_SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz' };

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The strongest settings of each coding. They run once per file and process (or at build time),
 * never per request, and off the event loop (zlib's thread pool).
 */
export function compress(body: Buffer, coding: Coding): Promise<Buffer> {
  if (coding === 'gzip') return gzipAsync(body, { level: 9 });
  return brotli(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/** The q-value `Accept-Encoding` gives `coding` (by name, else by `*`; 0 when it names neither). */
function qualityOf(accepts: ReturnType<typeof parseAccept>, coding: Coding): number {
  const own = accepts.find((a) => a.type.toLowerCase() === coding);
  return own ? own.q : (accepts.find((a) => a.type === '*')?.q ?? 0);
}

/**
 * The codings the client accepts (RFC 9110 §12.5.3), best first: by q-value, then in the order of
 * `CODINGS`. Empty when it sends no `Accept-Encoding` or accepts none of them.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  if (!header) return [];
  const accepts = parseAccept(header);
  return CODINGS.map((coding) => ({ coding, q: qualityOf(accepts, coding) }))
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((a) => a.coding);
}

/**
 * A static file served in the coding the browser asks for. Copies a build wrote beside the file
 * (`name.br`, `name.gz`) are used as they are; a coding with no such copy is compressed once, in
 * the background, on the first request that asks for it (that request gets the file as is, or
 * another ready coding), so a large file (Swagger UI's 1.7 MB bundle takes 6 s at brotli's top
 * quality) never holds the event loop or the server's start.
 */
export class EncodedFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  private readonly ready = new Map<Coding, Buffer>();
  private readonly pending = new Set<Coding>();

  constructor(body: Buffer | string, type: string, precompressed: Partial<Record<Coding, Buffer>> = {}) {
    this.body = Buffer.isBuffer(body) ? body : Buffer.from(body);
    this.type = type;
    this.etag = createHash('sha256').update(this.body).digest('base64url').slice(0, 27);
    for (const coding of CODINGS) {
      const copy = precompressed[coding];
      if (copy) this.ready.set(coding, copy);
    }
  }

  /** The file at `path` with the copies a build wrote beside it; undefined when it is missing. */
  static read(path: string, type: string): EncodedFile | undefined {
    if (!existsSync(path)) return undefined;
    const copies: Partial<Record<Coding, Buffer>> = {};
    for (const coding of CODINGS) {
      const copy = `${path}${CODING_SUFFIX[coding]}`;
      if (existsSync(copy)) copies[coding] = readFileSync(copy);
    }
    return new EncodedFile(readFileSync(path), type, copies);
  }

  /** The body in `coding` when it is ready; otherwise starts compressing it and answers undefined. */
  encoded(coding: Coding): Buffer | undefined {
    const done = this.ready.get(coding);
    if (done || this.pending.has(coding)) return done;
    this.pending.add(coding);
    void compress(this.body, coding)
      .then((b) => this.ready.set(coding, b))
      .finally(() => this.pending.delete(coding));
    return undefined;
  }

  /** Waits until every coding is ready (tests and benchmarks measure the settled bytes). */
  async settle(): Promise<void> {
    await Promise.all(
      CODINGS.map(async (coding) => {
        if (!this.ready.has(coding)) this.ready.set(coding, await compress(this.body, coding));
      }),
    );
  }

  /**
   * Answers the request with this file: the best coding the client accepts that is ready,
   * `Vary: Accept-Encoding` always (a cache must not hand a brotli body to a client that asked
   * for gzip), an ETag per representation, and `304` when the client's copy is current.
   */
  respond(c: Context, cacheControl: string): Response {
    const coding = this.bestReady(acceptedCodings(c.req.header('accept-encoding')));
    const bytes = coding ? (this.ready.get(coding) as Buffer) : this.body;
    const etag = `"${this.etag}${coding ? `-${coding}` : ''}"`;
    c.header('Vary', 'Accept-Encoding');
    c.header('Cache-Control', cacheControl);
    c.header('ETag', etag);
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);
    c.header('Content-Type', this.type);
    if (coding) c.header('Content-Encoding', coding);
    // A Buffer views Node's pooled ArrayBuffer (typed ArrayBufferLike); the bytes are sent as is.
    return c.body(bytes as Uint8Array<ArrayBuffer>);
  }

  /** The first accepted coding that is ready (asking for each starts it); undefined: as is. */
  private bestReady(accepted: Coding[]): Coding | undefined {
    let found: Coding | undefined;
    for (const coding of accepted) if (this.encoded(coding) && !found) found = coding;
    return found;
  }
}
