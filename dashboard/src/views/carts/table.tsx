/**
 * The abandoned-cart list: one status at a time (abandoned, recovered, open), sorted by value or
 * time, a page of 20; the CSV of the same list is fetched with the key (a bearer header, so no
 * plain link can carry it) and offered as a Blob download.
 */
import type { CartListResponse, ListedCart } from '@funnelhouse/schemas';
import type { CartListQuery } from '../../api.ts';
import { fmtInt, fmtMoney } from '../../format.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { type CardProps, CsvDownload, fmtTime, Pager, SortHeader } from './parts.tsx';

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

export function CartTable(props: CardProps) {
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
            <CsvDownload
              fetchCsv={() => api.abandonedCartsCsv(site, range, { ...q, limit: CSV_LIMIT, offset: 0 })}
              filename={`carts-${q.status}-${range.from}-${range.to}.csv`}
              label={`Download ${q.status} carts as CSV`}
              total={list.total}
              cap={CSV_LIMIT}
            />
            {list.carts.length === 0 ? (
              <p class="muted" data-empty="carts">
                No {q.status} carts {q.offset > 0 ? 'on this page' : 'in this range'}.
              </p>
            ) : (
              <Rows list={list} q={q} tz={range.tz} sortBy={sortBy} />
            )}
            <Pager
              offset={q.offset}
              pageSize={PAGE_SIZE}
              total={list.total}
              shown={list.carts.length}
              noun="cart"
              label="Cart pages"
              onPage={(p) => navigate({ page: p === 1 ? undefined : String(p) })}
            />
          </>
        )}
      </Show>
    </section>
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
