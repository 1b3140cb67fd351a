/**
 * The abandoned-cart list: one status at a time (abandoned, recovered, open), sorted by value or
 * time, a page of 20; the CSV of the same list is fetched with the key (a bearer header, so no
 * plain link can carry it) and offered as a Blob download.
 */
import type { CartListResponse, ListedCart } from '@funnelhouse/schemas';
import { useState } from 'preact/hooks';
import type { Api, CartListQuery, RangeQuery } from '../../api.ts';
import { fmtInt, fmtMoney } from '../../format.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { fmtTime } from './parts.tsx';

export const PAGE_SIZE = 20;
/** The most carts one answer of the list route holds (its `limit` maximum). */
const CSV_LIMIT = 1000;
const STATUSES = ['abandoned', 'recovered', 'open'] as const;
/** What each list holds: "abandoned" here is not the headline's count, which adds the recovered. */
const LIST_NOTES: Record<(typeof STATUSES)[number], string> = {
  abandoned: 'Abandoned and not bought since: the headline’s abandoned carts less the recovered ones.',
  recovered: 'Abandoned, then bought within the recovery window.',
  open: 'Active within the inactivity timeout: not abandoned yet.',
};
const SORTS = ['value', 'last_activity', 'created'] as const;
const pick = <T extends string>(v: string | undefined, allowed: readonly T[], d: T): T =>
  allowed.includes(v as T) ? (v as T) : d;

/** The list's query from the route (bad values fall back to the defaults). */
export function listQuery(route: Route): CartListQuery {
  const page = Math.max(1, Math.min(50_000, Number.parseInt(route.page ?? '1', 10) || 1));
  return {
    status: pick(route.status, STATUSES, 'abandoned'),
    sort: pick(route.sort, SORTS, 'value'),
    order: pick(route.order, ['asc', 'desc'] as const, 'desc'),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
}

export function CartTable(props: {
  api: Api;
  site: string;
  range: RangeQuery;
  route: Route;
  navigate: (r: Partial<Route>, replace?: boolean) => void;
}) {
  const { api, site, range, navigate } = props;
  const q = listQuery(props.route);
  const [loaded, retry] = useLoad<CartListResponse>(
    () => api.abandonedCarts(site, range, q),
    [api, site, range.from, range.to, range.tz, q.status, q.sort, q.order, q.offset],
  );
  const sortBy = (sort: CartListQuery['sort']) =>
    navigate({
      sort,
      order: q.sort === sort && q.order === 'desc' ? 'asc' : 'desc',
      page: undefined,
    });
  return (
    <section class="card" aria-labelledby="list-title" data-section="carts">
      <div class="card-head">
        <h2 id="list-title">Carts to follow up</h2>
        <fieldset class="seg">
          <legend class="visually-hidden">Cart status</legend>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={q.status === s}
              onClick={() => navigate({ status: s, page: undefined })}
            >
              {s[0]?.toUpperCase()}
              {s.slice(1)}
            </button>
          ))}
        </fieldset>
      </div>
      <p class="muted small" data-note="list">
        {LIST_NOTES[q.status]}
      </p>
      <Show loaded={loaded} what="the carts" retry={retry}>
        {(list) => (
          <>
            <CsvLink api={api} site={site} range={range} q={q} total={list.total} />
            {list.carts.length === 0 ? (
              <p class="muted" data-empty="carts">
                No {q.status} carts {q.offset > 0 ? 'on this page' : 'in this range'}.
              </p>
            ) : (
              <Rows list={list} q={q} tz={range.tz} sortBy={sortBy} />
            )}
            <Pager
              q={q}
              total={list.total}
              shown={list.carts.length}
              onPage={(p) => navigate({ page: p === 1 ? undefined : String(p) })}
            />
          </>
        )}
      </Show>
    </section>
  );
}

function SortHeader(props: {
  label: string;
  sort: CartListQuery['sort'];
  q: CartListQuery;
  sortBy: (s: CartListQuery['sort']) => void;
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

function Rows({
  list,
  q,
  tz,
  sortBy,
}: {
  list: CartListResponse;
  q: CartListQuery;
  tz: string;
  sortBy: (s: CartListQuery['sort']) => void;
}) {
  return (
    <div class="table-scroll">
      <table data-table="carts" data-cards="">
        <thead>
          <tr>
            <th scope="col">Cart</th>
            <SortHeader label="Value" sort="value" q={q} sortBy={sortBy} num />
            <th scope="col">Stage reached</th>
            <th scope="col" class="num">
              Items
            </th>
            <SortHeader label="Started" sort="created" q={q} sortBy={sortBy} />
            <SortHeader label="Last activity" sort="last_activity" q={q} sortBy={sortBy} />
            <th scope="col">Customer</th>
            <th scope="col">Order</th>
          </tr>
        </thead>
        <tbody>
          {list.carts.map((c) => (
            <tr key={c.cart_id} data-cart={c.cart_id}>
              <th scope="row" class="clip" title={c.cart_id}>
                {c.cart_id}
              </th>
              <td class="num" data-field="value" data-label="Value">
                {fmtMoney(c.value, c.currency)}
                <InReporting r={c.reporting} currency={c.currency} amount={c.reporting?.value} />
              </td>
              <td data-label="Stage reached">{c.stage_reached}</td>
              <td class="num" data-label="Items">
                {fmtInt(c.items.reduce((n, i) => n + i.quantity, 0))}
              </td>
              <td data-field="created" data-label="Started">
                {fmtTime(c.created_at, tz)}
              </td>
              <td data-field="last-activity" data-label="Last activity">
                {fmtTime(c.last_activity_at, tz)}
              </td>
              <td class="clip" title={c.user_id || c.visitor_id} data-label="Customer">
                {c.user_id || <span class="muted">{c.visitor_id}</span>}
              </td>
              <td data-field="order" data-label="Order">
                {c.order ? (
                  <>
                    {fmtMoney(c.order.revenue, c.order.currency)}
                    <InReporting
                      r={c.reporting}
                      currency={c.order.currency}
                      amount={c.reporting?.order_revenue}
                    />
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Pager(props: {
  q: CartListQuery;
  total: number | null;
  shown: number;
  onPage: (p: number) => void;
}) {
  const page = props.q.offset / PAGE_SIZE + 1;
  const total = props.total;
  const last = total === null ? page : Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (total !== null && total <= PAGE_SIZE && page === 1) {
    return (
      <p class="muted small" data-total={total}>
        {fmtInt(total)} cart{total === 1 ? '' : 's'}
      </p>
    );
  }
  return (
    <nav class="pager" aria-label="Cart pages">
      <button type="button" disabled={page <= 1} onClick={() => props.onPage(page - 1)}>
        ← Previous
      </button>
      <span data-total={total ?? ''}>
        {props.shown > 0
          ? `${fmtInt(props.q.offset + 1)}–${fmtInt(props.q.offset + props.shown)} of ${fmtInt(total ?? 0)}`
          : `Page ${page}`}
      </span>
      <button type="button" disabled={page >= last} onClick={() => props.onPage(page + 1)}>
        Next →
      </button>
    </nav>
  );
}

/** Fetches the CSV with the key and hands it to the browser as a file (works under the CSP). */
function CsvLink(props: {
  api: Api;
  site: string;
  range: RangeQuery;
  q: CartListQuery;
  total: number | null;
}) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const save = async () => {
    setState({ busy: true });
    try {
      const blob = await props.api.abandonedCartsCsv(props.site, props.range, {
        ...props.q,
        limit: CSV_LIMIT,
        offset: 0,
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `carts-${props.q.status}-${props.range.from}-${props.range.to}.csv`;
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
        {state.busy ? 'Preparing CSV…' : `Download ${props.q.status} carts as CSV`}
      </button>
      {(props.total ?? 0) > CSV_LIMIT ? (
        <span class="muted small">the first {fmtInt(CSV_LIMIT)} in this order</span>
      ) : null}
      {state.error ? (
        <span class="banner error" role="alert">
          The CSV could not be made: {state.error}
        </span>
      ) : null}
    </p>
  );
}

/**
 * A cart's amount in the site's reporting currency (the list's `reporting`), under its own: the
 * list is sorted by the amounts as sent, so the cart's own currency stays first. Nothing when the
 * site has no rates or the amount is already in the reporting currency.
 */
function InReporting(props: {
  r: ListedCart['reporting'];
  currency: string;
  amount: number | null | undefined;
}) {
  const { r, amount } = props;
  if (!r || props.currency === r.currency) return null;
  return amount == null ? (
    <span class="in-reporting muted small">no rate</span>
  ) : (
    <span class="in-reporting muted small" data-reporting={r.currency}>
      {fmtMoney(amount, r.currency)}
    </span>
  );
}
