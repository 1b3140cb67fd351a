/**
 * E-mail addresses in visitor text, found in time linear in the text's length.
 *
 * What counts as an address is what `/[^\s@/?#&=:]+@[^\s@/?#&=]+\.[a-z]{2,}/i` matches (the
 * pattern this replaced; `email.test.ts` holds the two to the same answers). That regex ran in
 * quadratic time on long runs without `@`: at each start position it scanned the whole run before
 * failing, so 40 events with 2,000-character URLs blocked the event loop for a fraction of a second
 * per request. Here the scan is anchored on each `@`: the local part is the run of local
 * characters just before it, the domain the run of domain characters just after it. Neither run
 * can cross an `@`, so every character is visited a bounded number of times.
 */

const REDACTED = '[redacted]';

/** `\s` of a JavaScript regex, tested one character at a time. */
const SPACE = /\s/;

function isSpace(c: number, s: string, i: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return SPACE.test(s[i] as string);
}

// Characters that end a local part / a domain besides white space (the domain allows `:`).
const LOCAL_STOP = new Set(['@', '/', '?', '#', '&', '=', ':'].map((c) => c.charCodeAt(0)));
const DOMAIN_STOP = new Set(['@', '/', '?', '#', '&', '='].map((c) => c.charCodeAt(0)));

function isLocal(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return !LOCAL_STOP.has(c) && !isSpace(c, s, i);
}

function isDomain(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return !DOMAIN_STOP.has(c) && !isSpace(c, s, i);
}

function isAsciiLetter(s: string, i: number): boolean {
  const c = s.charCodeAt(i) | 0x20;
  return c >= 0x61 && c <= 0x7a;
}

/** One address: `[start, end)` in the text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Every address in `s`, left to right, as the regex with the `g` flag would find them: the
 * leftmost start, the longest domain that still ends in `.` and two or more letters.
 */
export function findEmails(s: string): Span[] {
  const out: Span[] = [];
  let from = 0; // a match never starts before the end of the previous one
  let localStart = 0; // start of the current run of local characters
  for (let at = s.indexOf('@'); at !== -1; at = s.indexOf('@', at + 1)) {
    // The local run before this `@`: scanned back no further than the previous `@`.
    localStart = Math.max(from, localStart);
    let start = at;
    while (start > localStart && isLocal(s, start - 1)) start--;
    localStart = at + 1;
    if (start === at) continue;
    const end = domainEnd(s, at + 1);
    if (end === -1) continue;
    out.push({ start, end });
    from = end;
  }
  return out;
}

/**
 * Where the domain starting at `i` ends: after the letters that follow its last `.` having two
 * letters after it (and one domain character before it); -1 when it has no such dot. The scan
 * stops at the first non-domain character, which is at latest the next `@`.
 */
function domainEnd(s: string, i: number): number {
  let runEnd = i;
  let lastDot = -1;
  while (runEnd < s.length && isDomain(s, runEnd)) {
    if (
      s.charCodeAt(runEnd) === 0x2e &&
      runEnd > i &&
      isAsciiLetter(s, runEnd + 1) &&
      isAsciiLetter(s, runEnd + 2)
    )
      lastDot = runEnd;
    runEnd++;
  }
  if (lastDot === -1) return -1;
  let end = lastDot + 1;
  while (end < runEnd && isAsciiLetter(s, end)) end++;
  return end;
}

/** True when `s` holds an e-mail address. */
export function hasEmail(s: string): boolean {
  return s.includes('@') && findEmails(s).length > 0;
}

/** `s` with each e-mail address replaced by `[redacted]`. */
export function redactEmails(s: string): string {
  if (!s.includes('@')) return s;
  const spans = findEmails(s);
  if (spans.length === 0) return s;
  let out = '';
  let last = 0;
  for (const { start, end } of spans) {
    out += s.slice(last, start) + REDACTED;
    last = end;
  }
  return out + s.slice(last);
}
