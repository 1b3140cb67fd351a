/**
 * Which products sell: the `products` route's rows as a sortable table (views, carts, the view →
 * cart rate, orders, quantity, revenue, the cart → purchase rate, value left in abandoned carts),
 * a page of 20, and the same rows as CSV (the first 1000 in the table's order). Every number is the API's; money in the reporting
 * currency when the site has rates.
 */
import type { ProductRow, ProductSort, ProductsResponse } from '@funnelhouse/schemas';
import type { ProductListQuery } from '../../api.ts';
import { fmtInt, fmtPct } from '../../format.ts';
import { Show, useLoad } from '../../load.tsx';
import type { Route } from '../../route.ts';
import { Converted } from '../money.tsx';
import { type CardProps, CsvDownload, Pager, ScrollBox, SortHeader } from './parts.tsx';

const PAGE = 20;
const CSV_LIMIT = 1000;

/** The sortable columns, in table order, and their headings. */
const COLUMNS: [ProductSort, string][] = [
  ['views', 'Views'],
  ['carts', 'Added to cart'],
  ['view_to_cart', 'View → cart'],
  ['purchases', 'Orders'],
  ['quantity', 'Quantity'],
  ['revenue', 'Revenue'],
  ['cart_to_purchase', 'Cart → purchase'],
  ['abandoned_value', 'Left in abandoned carts'],
];
const SORTS = new Set<string>(['item_id', ...COLUMNS.map(([k]) => k)]);

/** The table's query from the URL, defaults for anything missing or unknown. */
function queryOf(route: Route): ProductListQuery {
  const sort = route.psort && SORTS.has(route.psort) ? (route.psort as ProductSort) : 'purchases';
  const order = route.porder === 'asc' ? 'asc' : 'desc';
  const page = Math.max(1, Math.min(50_000, Number.parseInt(route.ppage ?? '1', 10) || 1));
  return { sort, order, limit: PAGE, offset: (page - 1) * PAGE };
}

export function Products(props: CardProps) {
  const { api, site, range, navigate } = props;
  const q = queryOf(props.route);
  const [loaded, retry] = useLoad<ProductsResponse>(
    () => api.products(site, range, q),
    [api, site, range.from, range.to, range.tz, q.sort, q.order, q.offset],
  );
  const sortBy = (sort: ProductSort) =>
    navigate({
      psort: sort,
      porder: sort === q.sort && q.order === 'desc' ? 'asc' : 'desc',
      ppage: undefined,
    });
  return (
    <section class="card" aria-labelledby="products-title" data-section="products">
      <div class="card-head">
        <h2 id="products-title">Which products sell</h2>
      </div>
      <Show loaded={loaded} what="the products" retry={retry}>
        {(r) =>
          r.total === 0 ? (
            <p class="muted">
              No product events in this range: products come from the items of <code>view_item</code>,{' '}
              <code>add_to_cart</code> and <code>purchase</code>.
            </p>
          ) : (
            <>
              <ScrollBox label="Products">
                <table data-table="products">
                  <caption class="visually-hidden">
                    Products, sorted by {COLUMNS.find(([k]) => k === q.sort)?.[1] ?? 'product id'} (
                    {q.order === 'asc' ? 'ascending' : 'descending'})
                  </caption>
                  <thead>
                    <tr>
                      <SortHeader label="Product" sort="item_id" q={q} sortBy={sortBy} />
                      {COLUMNS.map(([k, label]) => (
                        <SortHeader key={k} label={label} sort={k} q={q} sortBy={sortBy} num />
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {r.rows.map((row) => (
                      <ProductLine key={row.item_id} row={row} />
                    ))}
                  </tbody>
                </table>
              </ScrollBox>
              <Pager
                offset={q.offset}
                pageSize={PAGE}
                total={r.total}
                shown={r.rows.length}
                noun="product"
                label="Product pages"
                onPage={(p) => navigate({ ppage: p === 1 ? undefined : String(p) })}
              />
              <CsvDownload
                fetchCsv={() => api.productsCsv(site, range, { ...q, limit: CSV_LIMIT, offset: 0 })}
                filename={`products-${range.from}-${range.to}.csv`}
                label="Download products as CSV"
                total={r.total}
                cap={CSV_LIMIT}
              />
            </>
          )
        }
      </Show>
    </section>
  );
}

const rate = (r: ProductRow['view_to_cart']) => (r ? fmtPct(r.rate) : '–');

function ProductLine({ row }: { row: ProductRow }) {
  return (
    <tr data-item={row.item_id}>
      <th scope="row">
        {row.name || <span class="muted">(no name)</span>}
        <span class="muted small"> {row.item_id}</span>
      </th>
      <td class="num">{fmtInt(row.views)}</td>
      <td class="num">{fmtInt(row.carts)}</td>
      <td class="num">{rate(row.view_to_cart)}</td>
      <td class="num">{fmtInt(row.purchases)}</td>
      <td class="num">{fmtInt(row.quantity)}</td>
      <td class="num">
        <Converted
          reporting={row.reporting}
          value={row.reporting?.revenue}
          detail={row.by_currency
            .filter((c) => c.purchases > 0)
            .map((c) => ({ currency: c.currency, amount: c.revenue }))}
        />
      </td>
      <td class="num">{rate(row.cart_to_purchase)}</td>
      <td class="num">
        <Converted
          reporting={row.reporting}
          value={row.reporting?.abandoned_value}
          detail={row.by_currency
            .filter((c) => c.abandoned_carts > 0)
            .map((c) => ({ currency: c.currency, amount: c.abandoned_value }))}
        />
      </td>
    </tr>
  );
}
