import { ERROR_STATUS, type ErrorCode, type ErrorIssue } from '@funnelhouse/schemas';

/** An expected failure with a machine-readable code; its status follows from the code. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

/**
 * Zod issues as `{path, code, message}`: never the whole zod error object. An unknown key is
 * reported at its own path (`definition.window`, code `unrecognized_keys`), one issue per key,
 * so a typo names itself instead of being ignored.
 */
export function toIssues(
  issues: readonly {
    path: PropertyKey[];
    code: string;
    message: string;
    keys?: readonly string[];
    params?: Record<string, unknown>;
  }[],
): ErrorIssue[] {
  return issues
    .flatMap((i) =>
      i.code === 'unrecognized_keys' && i.keys
        ? i.keys.map((k) => ({
            path: [...i.path, k],
            code: i.code,
            message: `unknown key ${JSON.stringify(k)}`,
          }))
        : [{ path: i.path, code: ownCode(i), message: i.message }],
    )
    .slice(0, 20)
    .map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message }));
}

/** A refinement may name its own code (`invalid_date`) instead of zod's generic `custom`. */
function ownCode(i: { code: string; params?: Record<string, unknown> }): string {
  return i.code === 'custom' && typeof i.params?.code === 'string' ? i.params.code : i.code;
}

/**
 * True when `err` is the client going away mid-request (the socket closed while the body was
 * being read, or the request's signal fired): nobody is left to answer, and it is not our fault.
 */
export function isClientAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ECONNRESET' || e?.message === 'aborted' || (e as Error | null)?.name === 'AbortError';
}
