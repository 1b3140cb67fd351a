/**
 * Pieces shared by the carts views: rate differences, times, a scrolling table box, a sortable
 * column heading, a pager and a CSV download.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Api, RangeQuery } from '../../api.ts';
import { fmtInt } from '../../format.ts';
import type { Route } from '../../route.ts';

/** What each card of the carts view is given: the API, the site, the header's range and the URL state. */
export interface CardProps {
  api: Api;
  site: string;
  range: RangeQuery;
  route: Route;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}

export { Kpi } from '../overview.tsx';

/** A difference of two rates (0.012) as "+1.2 pts". */
export function signedPoints(d: number): string {
  const pts = Math.abs(d * 100).toFixed(1);
  return `${d > 0 ? '+' : d < 0 ? '−' : '±'}${pts} pts`;
}

/** An instant as "2026-12-03 14:05" in the view's zone. */
export function fmtTime(iso: string | null, tz: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

/**
 * A table wider than a phone scrolls inside this box; the box takes focus so the keyboard can
 * scroll it too (axe's scrollable-region-focusable) when the table has nothing focusable.
 */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/** A column heading that sorts the table by `sort` (again: the other way). */
export function SortHeader<S extends string>(props: {
  label: string;
  sort: S;
  q: { sort: S; order: 'asc' | 'desc' };
  sortBy: (s: S) => void;
  num?: boolean;
}) {
  const active = props.q.sort === props.sort;
  return (
    <th
      scope="col"
      class={props.num ? 'num' : undefined}
      aria-sort={active ? (props.q.order === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" class="link-button" onClick={() => props.sortBy(props.sort)}>
        {props.label}
        {active ? (props.q.order === 'asc' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
}

/**
 * Pages of `pageSize` rows from `offset`: previous / next with "1–20 of 57"; one page says only
 * how many there are. `total` null: unknown (a page past the end).
 */
export function Pager(props: {
  offset: number;
  pageSize: number;
  total: number | null;
  shown: number;
  /** The rows' noun, singular ("cart"), and the pager's name for assistive technology. */
  noun: string;
  label: string;
  onPage: (p: number) => void;
}) {
  const page = props.offset / props.pageSize + 1;
  const total = props.total;
  const last = total === null ? page : Math.max(1, Math.ceil(total / props.pageSize));
  if (total !== null && total <= props.pageSize && page === 1) {
    return (
      <p class="muted small" data-total={total}>
        {fmtInt(total)} {props.noun}
        {total === 1 ? '' : 's'}
      </p>
    );
  }
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={page <= 1} onClick={() => props.onPage(page - 1)}>
        ← Previous
      </button>
      <span data-total={total ?? ''}>
        {props.shown > 0
          ? `${fmtInt(props.offset + 1)}–${fmtInt(props.offset + props.shown)} of ${fmtInt(total ?? 0)}`
          : `Page ${page}`}
      </span>
      <button type="button" disabled={page >= last} onClick={() => props.onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/**
 * A CSV fetched with the key (a bearer header, so no plain link can carry it) and handed to the
 * browser as a file: works under the CSP. `cap`: the most rows one download holds, noted when
 * `total` is over it.
 */
export function CsvDownload(props: {
  fetchCsv: () => Promise<Blob>;
  filename: string;
  label: string;
  total: number | null;
  cap: number;
}) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const save = async () => {
    setState({ busy: true });
    try {
      const url = URL.createObjectURL(await props.fetchCsv());
      const a = document.createElement('a');
      a.href = url;
      a.download = props.filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false });
    } catch (e) {
      setState({ busy: false, error: (e as Error).message });
    }
  };
  return (
    <p class="csv">
      <button type="button" class="ghost" onClick={save} disabled={state.busy}>
        {state.busy ? 'Preparing CSV…' : props.label}
      </button>
      {(props.total ?? 0) > props.cap ? (
        <span class="muted small">the first {fmtInt(props.cap)} in this order</span>
      ) : null}
      {state.error ? (
        <span class="banner error" role="alert">
          The CSV could not be made: {state.error}
        </span>
      ) : null}
    </p>
  );
}
