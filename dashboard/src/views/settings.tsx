/**
 * Site settings: the reporting currency and its rates (`GET/PUT/DELETE …/settings/currency-rates`).
 * The form lists the saved rates and every currency of the last year's orders (the orders summary's
 * `by_currency`), so a currency without a rate is in sight. The server validates what is sent; its
 * 400 issues are shown one a line, by field.
 */
import type { CurrencyRates, ErrorIssue } from '@funnelhouse/schemas';
import { useState } from 'preact/hooks';
import { type Api, ApiFailure } from '../api.ts';
import { Show, useLoad } from '../load.tsx';
import { addDays, todayIn } from '../range.ts';

interface Row {
  id: number;
  code: string;
  rate: string;
}
interface Loaded {
  saved: CurrencyRates | null;
  /** Currency codes of the last year's orders ('' = orders without a currency). */
  seen: string[];
}
type Note = { kind: 'ok'; text: string } | { kind: 'error'; text: string; issues: ErrorIssue[] } | undefined;

let nextRow = 0;
const row = (code = '', rate = ''): Row => ({ id: nextRow++, code, rate });

/** The saved rates, then each seen currency that has none (its rate left empty), else one empty row. */
function rowsOf(saved: CurrencyRates | null, seen: string[]): Row[] {
  const rates = saved?.rates ?? {};
  const rows = Object.entries(rates).map(([c, v]) => row(c, String(v)));
  for (const c of seen)
    if (c !== '' && c !== saved?.reporting_currency && !Object.hasOwn(rates, c)) rows.push(row(c));
  return rows.length ? rows : [row()];
}

/** A field of the body as the form names it: `rates.USD` is "Rate of USD". */
function fieldName(path: string): string {
  if (path === 'reporting_currency') return 'Reporting currency';
  const m = /^rates\.(.*)$/.exec(path);
  if (m) return m[1] ? `Rate of ${m[1]}` : 'Rates';
  return path || 'Body';
}

/** The body the form stands for: a row with no rate is a currency left without one. */
function bodyOf(currency: string, rows: Row[]): { body?: unknown; problem?: string } {
  const rates: Record<string, unknown> = {};
  for (const [i, r] of rows.entries()) {
    const code = r.code.trim().toUpperCase();
    const text = r.rate.trim();
    if (text === '') continue;
    if (code === '') return { problem: `Rate ${i + 1} has no currency.` };
    const n = Number(text);
    // Anything not a number goes as typed: the server names the field and the problem.
    rates[code] = Number.isFinite(n) ? n : text;
  }
  return { body: { reporting_currency: currency.trim().toUpperCase(), rates } };
}

export function Settings({ api, site }: { api: Api; site: string }) {
  const [loaded, retry] = useLoad<Loaded>(async () => {
    const to = todayIn('UTC');
    const [rates, orders] = await Promise.all([
      api.currencyRates(site),
      api.orders(site, { from: addDays(to, -364), to, tz: 'UTC' }),
    ]);
    return { saved: rates.currency_rates, seen: orders.by_currency.map((c) => c.currency) };
  }, [api, site]);
  return (
    <main aria-labelledby="view-title">
      <h1 id="view-title">Settings</h1>
      <Show loaded={loaded} what="the settings" retry={retry}>
        {(d) => <CurrencyForm key={site} api={api} site={site} initial={d.saved} seen={d.seen} />}
      </Show>
    </main>
  );
}

function CurrencyForm(props: { api: Api; site: string; initial: CurrencyRates | null; seen: string[] }) {
  const { api, site, seen } = props;
  const [saved, setSaved] = useState(props.initial);
  const [currency, setCurrency] = useState(props.initial?.reporting_currency ?? '');
  const [rows, setRows] = useState(() => rowsOf(props.initial, seen));
  const [note, setNote] = useState<Note>();
  const [busy, setBusy] = useState(false);
  const edit = (id: number, patch: Partial<Row>) =>
    setRows(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const run = (p: Promise<CurrencyRates | null>, ok: string) => {
    setBusy(true);
    p.then(
      (r) => {
        setSaved(r);
        setNote({ kind: 'ok', text: ok });
      },
      (e: unknown) =>
        setNote({
          kind: 'error',
          text: e instanceof Error ? e.message : String(e),
          issues: e instanceof ApiFailure ? e.issues : [],
        }),
    ).finally(() => setBusy(false));
  };
  const save = (e: Event) => {
    e.preventDefault();
    const { body, problem } = bodyOf(currency, rows);
    if (problem) return setNote({ kind: 'error', text: problem, issues: [] });
    run(
      api.saveCurrencyRates(site, body as CurrencyRates).then((a) => a.currency_rates),
      'Saved. Revenue and carts now show figures converted to the reporting currency.',
    );
  };
  return (
    <section class="card" aria-labelledby="rates-title" data-section="currency-rates">
      <h2 id="rates-title">Reporting currency</h2>
      <p class="muted">
        Orders of several currencies are added up only in the reporting currency, at the rates set here: 1
        unit of a currency = rate units of the reporting currency. A currency left without a rate is not
        included in the converted figures, and they say so.
      </p>
      {note ? <NoteBanner note={note} /> : null}
      <form onSubmit={save} class="rates-form">
        <div class="field">
          <label for="f-reporting">Reporting currency (ISO 4217 code)</label>
          <input
            id="f-reporting"
            value={currency}
            maxLength={3}
            autoComplete="off"
            list="seen-currencies"
            placeholder="EUR"
            onInput={(e) => setCurrency((e.target as HTMLInputElement).value)}
          />
          <datalist id="seen-currencies">
            {seen
              .filter((c) => c !== '')
              .map((c) => (
                <option key={c} value={c} />
              ))}
          </datalist>
        </div>
        <table class="rates" aria-label="Rates">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Rate</th>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <RateRow
                key={r.id}
                r={r}
                n={i + 1}
                onEdit={(patch) => edit(r.id, patch)}
                onRemove={() => setRows(rows.filter((x) => x.id !== r.id))}
              />
            ))}
          </tbody>
        </table>
        <p class="muted small">
          Currencies of the last year's orders are listed; leave a rate empty to leave that currency out.
          {seen.includes('') ? ' Orders with no currency are never converted.' : ''}
        </p>
        <div class="actions">
          <button type="button" onClick={() => setRows([...rows, row()])}>
            Add a rate
          </button>
          <button type="submit" disabled={busy}>
            Save rates
          </button>
        </div>
      </form>
      <Saved
        saved={saved}
        busy={busy}
        onRemove={() =>
          run(
            api.deleteCurrencyRates(site).then(() => null),
            'Rates removed. Revenue is shown per currency again.',
          )
        }
      />
    </section>
  );
}

function NoteBanner({ note }: { note: NonNullable<Note> }) {
  if (note.kind === 'ok')
    return (
      <p class="banner ok" role="status" data-note="rates">
        {note.text}
      </p>
    );
  return (
    <div class="banner error" role="alert" data-note="rates">
      <strong>Not saved: </strong>
      {note.text}
      {note.issues.length ? (
        <ul data-issues="rates">
          {note.issues.map((i) => (
            <li key={`${i.path}:${i.code}`} data-path={i.path}>
              {fieldName(i.path)}: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function RateRow(props: { r: Row; n: number; onEdit: (p: Partial<Row>) => void; onRemove: () => void }) {
  const { r, n } = props;
  return (
    <tr data-row={r.code || undefined}>
      <td>
        <input
          class="rate-input"
          aria-label={`Currency ${n}`}
          value={r.code}
          maxLength={3}
          autoComplete="off"
          placeholder="USD"
          onInput={(e) => props.onEdit({ code: (e.target as HTMLInputElement).value })}
        />
      </td>
      <td>
        <input
          class="rate-input"
          aria-label={`Rate of currency ${n} in the reporting currency`}
          value={r.rate}
          inputMode="decimal"
          autoComplete="off"
          placeholder="no rate"
          onInput={(e) => props.onEdit({ rate: (e.target as HTMLInputElement).value })}
        />
      </td>
      <td>
        <button
          type="button"
          aria-label={`Remove rate ${n}${r.code ? ` (${r.code})` : ''}`}
          onClick={props.onRemove}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

function Saved(props: { saved: CurrencyRates | null; busy: boolean; onRemove: () => void }) {
  const { saved } = props;
  if (!saved)
    return (
      <>
        <h3>Saved</h3>
        <p class="muted" data-saved="none">
          No reporting currency: revenue is shown per currency, never added up.
        </p>
      </>
    );
  return (
    <>
      <h3>Saved</h3>
      <div data-saved="rates">
        <p>
          Reporting currency: <strong data-field="reporting-currency">{saved.reporting_currency}</strong>
        </p>
        <ul>
          {Object.entries(saved.rates).map(([c, v]) => (
            <li key={c} data-rate={c}>
              1 {c} = {v} {saved.reporting_currency}
            </li>
          ))}
        </ul>
        <button type="button" disabled={props.busy} onClick={props.onRemove}>
          Remove the reporting currency
        </button>
      </div>
    </>
  );
}
