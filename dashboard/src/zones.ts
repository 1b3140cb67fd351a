/**
 * The header's time-zone field, pure: what the reader typed, read as a zone. A zone name in any
 * case (or an alias the browser knows) is taken as it is; a city ("Berlin", "new york") is not a
 * zone, so the zones whose city part matches are offered instead ("Did you mean Europe/Berlin?").
 */

/** The zones this browser knows, UTC among them. */
export function allZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf?.('timeZone') ?? [];
  return list.includes('UTC') ? list : ['UTC', ...list];
}

/** The canonical name of a zone the browser accepts ("europe/berlin" → "Europe/Berlin"), else undefined. */
function resolve(text: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "New_York", "new york" and "new-york" alike. */
const norm = (s: string) =>
  s
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, ' ');

export type ZoneMatch =
  | { kind: 'zone'; zone: string }
  | { kind: 'suggest'; zones: string[] }
  | { kind: 'none' };

/**
 * Reads `text` as a zone: a known zone, else up to `max` zones whose city part is the text
 * (then those whose city starts with it, from three letters), else none.
 */
export function matchZone(text: string, zones: string[], max = 3): ZoneMatch {
  const t = text.trim();
  if (!t) return { kind: 'none' };
  const exact = zones.find((z) => z.toLowerCase() === t.toLowerCase());
  if (exact) return { kind: 'zone', zone: exact };
  const known = resolve(t);
  if (known) return { kind: 'zone', zone: known };
  const city = norm(t.split('/').pop() ?? t);
  const cityOf = (z: string) => norm(z.split('/').pop() ?? z);
  let found = zones.filter((z) => cityOf(z) === city);
  if (found.length === 0 && city.length >= 3) found = zones.filter((z) => cityOf(z).startsWith(city));
  return found.length > 0 ? { kind: 'suggest', zones: found.slice(0, max) } : { kind: 'none' };
}
