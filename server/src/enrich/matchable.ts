/**
 * The text the secret and address rules are matched against, not the text stored: a visitor (or
 * a careless link) can hide `@` as `%2540` (encoded twice), `＠` (full-width, U+FF20) or `eyJ` as
 * `%65yJ`. Percent-escapes are decoded up to `DECODE_ROUNDS` times and the result is put in NFKC,
 * which folds full-width and other compatibility forms to their plain letters. Linear: each round
 * is one pass, and NFKC is one native pass run only when the text has a non-ASCII character.
 */

/** How many times escapes are decoded: `%252540` is `@` encoded three times. */
export const DECODE_ROUNDS = 3;

// A run of escapes decodes as one (a UTF-8 character spans several); each is exactly `%XX`, so
// the pattern cannot backtrack.
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;
const NON_ASCII = /[^\u0020-\u007e\t\n\r]/;

function decodeRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    // Not UTF-8 as a whole (a lone `%C3`, say): decode the ASCII escapes, keep the others.
    return run.replace(/%([0-7][0-9A-Fa-f])/g, (_m, h: string) =>
      String.fromCharCode(Number.parseInt(h, 16)),
    );
  }
}

/** One round: every well-formed escape decoded, malformed `%` left as written. */
export function decodeEscapes(s: string): string {
  return s.includes('%') ? s.replace(ESCAPES, decodeRun) : s;
}

/** `s` decoded (at most `DECODE_ROUNDS` rounds, stopping when nothing changes) and in NFKC. */
export function forMatching(s: string): string {
  let out = s;
  for (let round = 0; round < DECODE_ROUNDS && out.includes('%'); round++) {
    const next = decodeEscapes(out);
    if (next === out) break;
    out = next;
  }
  return NON_ASCII.test(out) ? out.normalize('NFKC') : out;
}
