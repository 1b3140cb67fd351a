/**
 * One case of the hostile corpus (`hostile.json`, made by `generate.ts`). Bodies hold tokens the
 * runner fills in: `$SITE_KEY`, `$API_KEY`, `$ADMIN_KEY` (the case's site), `"$NOW"` (a JSON
 * number: the send time in epoch ms), `"$NOW-<ms>"` (that long before), `$PAD(<n>)` (n × `x`).
 */
export interface CorpusCase {
  name: string;
  class: CorpusClass;
  /** Why the case is here, in a few words. */
  note?: string;
  /** Default POST. */
  method?: string;
  /**
   * Default `/collect`. Any other path is an API route of the case's site (`$SITE_ID`), sent as
   * `application/json` with the site's secret API key.
   */
  path?: string;
  /** Requests sent first, each expected to answer 2xx: the other party's move (id squatting). */
  before?: { path?: string; body: unknown }[];
  /** Default: `content-type: text/plain;charset=UTF-8` and a desktop Chrome user agent. A value
   * of `null` leaves the header out. */
  headers?: Record<string, string | null>;
  /** Settings given to the case's site (a fresh site per case) before the request. */
  site?: { allowed_hosts?: string[]; respect_dnt?: boolean; scrub_emails?: boolean };
  /** Sent as is (after tokens) when a string; JSON-encoded when anything else. */
  body?: unknown;
  /** Raw bytes, base64: for bodies that are not valid UTF-8. */
  body_base64?: string;
  /**
   * Instead of a request: a file the real import CLI (`pnpm funnelhouse import`) reads into the
   * case's site. `expect.status` is then the CLI's exit code and `expect.import` its summary.
   */
  import?: ImportInput;
  expect: CorpusExpectation;
}

/** An import file, written by the runner: groups of lines, tokens filled in (see `CorpusCase`). */
export interface ImportInput {
  format: 'ndjson' | 'csv';
  /** Each group's `text` written `repeat` times (default 1) as lines; `$I` is the 0-based index in the group. */
  lines: { text: string; repeat?: number }[];
}

export type CorpusClass =
  | 'invalid'
  | 'hostile_text'
  | 'policy_drop'
  | 'prototype'
  | 'formula_cell'
  | 'forged_forwarding'
  | 'id_squatting'
  | 're2_syntax'
  | 'oversized_definition'
  | 'quadratic_text'
  | 'secret_url'
  | 'partial_batch'
  | 'import_bytes'
  | 'import_proto'
  /**
   * A site whose webhook receiver never answers, with many abandoned carts (anyone can make them
   * through `/collect`), must not delay the other sites' webhooks. Not in `hostile.json`: the
   * runner sends one request and checks its answer, and cannot hold a receiver open while a
   * worker passes, so the class is its own test file, `test/webhooks/webhook_head_of_line.test.ts`.
   */
  | 'webhook_head_of_line'
  | 'tenant_starvation'
  | 'regex_compile_main'
  | 'undefined_variant_flood'
  | 'scrub_encoded'
  | 'money_overflow';

export interface CorpusExpectation {
  status: number;
  /** The error code of a 4xx. */
  code?: string;
  /**
   * rejected: 4xx and nothing stored; stored: 202 and every event stored; dropped: 202, none
   * stored; event_rejected: 202, the events in `rejected` refused and the others stored.
   */
  outcome: 'rejected' | 'stored' | 'dropped' | 'event_rejected';
  /** For 202 from `/collect`: the answer's counts. */
  accepted?: number;
  dropped?: number;
  /** For dropped events: the reason counted in `funnelhouse_events_dropped_total`. */
  drop_reason?: string;
  /** For 202 from `/collect`: the refused events (index, code), counted in `…_events_rejected_total`. */
  rejected?: { index: number; code: string }[];
  /** For an API route's 2xx: a subset the answer must contain (`toMatchObject`). */
  answer?: unknown;
  /** For stored events: how many rows the site holds after the case (default `accepted`). */
  rows?: number;
  /** For stored events: columns read back through `GET /api/v1/sites/:id/events`, compared exactly. */
  readback?: Readback[];
  /** For stored events: cells of the CSV export (`format=csv`), compared exactly. */
  export_csv?: Readback[];
  /**
   * For an import case: the summary's counts, the rejected lines (line, code) and, when set, a
   * bound on the importer's peak RSS in MB.
   */
  import?: {
    stored: number;
    rejected_by_code: Record<string, number>;
    rejects: { line: number; code: string }[];
    max_rss_mb?: number;
  };
}

/** `column` is a column of the events endpoint; `props.<key>` / `experiments.<key>` read one map entry. */
export interface Readback {
  event_id: string;
  /** Which row of that id, when a browser and a server row share it. */
  source?: 'browser' | 'server' | 'import';
  column: string;
  value: unknown;
}
