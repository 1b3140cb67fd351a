/**
 * The dashboard's only way to the server: `fetch` on the same origin with the signed-in key.
 * Errors keep the server's `{ error: { code, message } }` so views can say what happened.
 */
import type {
  ApiKeyListResponse,
  AttributionDimension,
  AttributionResponse,
  CartAbandonmentResponse,
  CartListResponse,
  CorrelationRequest,
  CorrelationResult,
  CreateSiteResponse,
  CurrencyRates,
  ErrorBody,
  ErrorIssue,
  ExperimentResult,
  ForecastResponse,
  FunnelResult,
  KeyInfoResponse,
  OrdersSummaryResponse,
  OverviewResponse,
  PathsQueryRequest,
  PathsResult,
  ProductSort,
  ProductsResponse,
  RealtimeResponse,
  RevenueResponse,
  SavedExperiment,
  SavedFunnel,
  SaveFunnelRequest,
  SiteSchemaResponse,
  SiteSummary,
} from '@funnelhouse/schemas';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's `{path, code, message}` per problem of a 400 (empty otherwise). */
    readonly issues: ErrorIssue[] = [],
  ) {
    super(message);
  }
}

/** A GET or JSON request with `Authorization: Bearer key`; throws `ApiFailure` on any non-2xx. */
export async function request<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(0, 'network_error', 'The server could not be reached. Is it running?');
  }
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (parsed as Partial<ErrorBody> | undefined)?.error;
    throw new ApiFailure(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`, e?.issues);
  }
  return parsed as T;
}

/** A GET of a file (CSV) with the key, as a Blob to offer for download; throws `ApiFailure`. */
export async function download(key: string, path: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
  } catch {
    throw new ApiFailure(0, 'network_error', 'The server could not be reached. Is it running?');
  }
  if (!res.ok) {
    const e = ((await res.json().catch(() => undefined)) as Partial<ErrorBody> | undefined)?.error;
    throw new ApiFailure(res.status, e?.code ?? 'http_error', e?.message ?? `HTTP ${res.status}`);
  }
  return res.blob();
}

/** The products table's query: sort, order and page. */
export interface ProductListQuery {
  sort: ProductSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** The abandoned-cart list's query: status, sort, order and page. */
export interface CartListQuery {
  status: 'abandoned' | 'recovered' | 'open';
  sort: 'value' | 'last_activity' | 'created';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A date range as the report routes take it: `from`/`to` dates (a bare `to` includes its day). */
export interface RangeQuery {
  from: string;
  to: string;
  tz: string;
}

const rangeQs = (r: RangeQuery, segment: Record<string, string | undefined> = {}) => {
  const q = new URLSearchParams({ from: r.from, to: r.to, tz: r.tz });
  for (const [k, v] of Object.entries(segment)) if (v) q.set(k, v);
  return q.toString();
};
const cartListQs = (r: RangeQuery, q: CartListQuery) =>
  `${rangeQs(r)}&${new URLSearchParams({ status: q.status, sort: q.sort, order: q.order, limit: String(q.limit), offset: String(q.offset) })}`;
const productQs = (r: RangeQuery, q: ProductListQuery) =>
  `${rangeQs(r)}&${new URLSearchParams({ sort: q.sort, order: q.order, limit: String(q.limit), offset: String(q.offset) })}`;
const sitePath = (site: string) => `/api/v1/sites/${encodeURIComponent(site)}`;

/** Typed calls of the API routes the dashboard reads; one client per signed-in key. */
export function apiClient(key: string) {
  const get = <T>(path: string) => request<T>(key, 'GET', path);
  return {
    keyInfo: () => get<KeyInfoResponse>('/api/v1/key'),
    sites: () => get<{ sites: SiteSummary[] }>('/api/v1/sites'),
    createSite: (name: string, timeZone: string) =>
      request<CreateSiteResponse>(key, 'POST', '/api/v1/sites', { name, time_zone: timeZone }),
    keys: (site: string) => get<ApiKeyListResponse>(`${sitePath(site)}/keys`),
    createKey: (site: string) =>
      request<{ site_id: string; api_key: string }>(key, 'POST', `${sitePath(site)}/keys`),
    revokeKey: (site: string, keyId: string) =>
      request<unknown>(key, 'DELETE', `${sitePath(site)}/keys/${encodeURIComponent(keyId)}`),
    /** `limit` 0: totals and days only, no top lists (the previous period's comparison). */
    overview: (site: string, r: RangeQuery, segment?: Record<string, string | undefined>, limit = 10) =>
      get<OverviewResponse>(`${sitePath(site)}/overview?${rangeQs(r, segment)}&limit=${limit}`),
    orders: (site: string, r: RangeQuery, segment?: Record<string, string | undefined>) =>
      get<OrdersSummaryResponse>(`${sitePath(site)}/orders/summary?${rangeQs(r, segment)}`),
    realtime: (site: string) => get<RealtimeResponse>(`${sitePath(site)}/realtime?minutes=5`),
    schema: (site: string, r: RangeQuery) =>
      get<SiteSchemaResponse>(`${sitePath(site)}/schema?${rangeQs(r)}`),
    funnelQuery: (site: string, body: Record<string, unknown>) =>
      request<FunnelResult>(key, 'POST', `${sitePath(site)}/funnels/query`, body),
    /** What separates converters from those who dropped between two steps (issue 29). */
    correlation: (site: string, body: CorrelationRequest) =>
      request<CorrelationResult>(key, 'POST', `${sitePath(site)}/funnels/correlation`, body),
    /** Where visitors went after a start (a funnel step's drop-outs, a page, an event), as a tree. */
    paths: (site: string, body: PathsQueryRequest) =>
      request<PathsResult>(key, 'POST', `${sitePath(site)}/paths`, body),
    funnels: (site: string) => get<{ funnels: SavedFunnel[] }>(`${sitePath(site)}/funnels`),
    updateFunnel: (site: string, id: string, body: SaveFunnelRequest) =>
      request<SavedFunnel>(key, 'PUT', `${sitePath(site)}/funnels/${encodeURIComponent(id)}`, body),
    saveFunnel: (site: string, body: SaveFunnelRequest) =>
      request<SavedFunnel>(key, 'POST', `${sitePath(site)}/funnels`, body),
    experiments: (site: string) => get<{ experiments: SavedExperiment[] }>(`${sitePath(site)}/experiments`),
    /** With `sequential`, always-valid intervals and p-values (the verdict is the same either way). */
    experimentResults: (site: string, key: string, r: RangeQuery, sequential: boolean) =>
      get<ExperimentResult>(
        `${sitePath(site)}/experiments/${encodeURIComponent(key)}/results?${rangeQs(r)}&over_time=1${sequential ? '&sequential=1' : ''}`,
      ),
    abandonment: (site: string, r: RangeQuery) =>
      get<CartAbandonmentResponse>(`${sitePath(site)}/carts/abandonment?${rangeQs(r)}`),
    abandonedCarts: (site: string, r: RangeQuery, q: CartListQuery) =>
      get<CartListResponse>(`${sitePath(site)}/carts/abandoned?${cartListQs(r, q)}`),
    /** The same list as CSV (every cart of the status, up to 1000), fetched with the key. */
    abandonedCartsCsv: (site: string, r: RangeQuery, q: CartListQuery) =>
      download(key, `${sitePath(site)}/carts/abandoned?${cartListQs(r, q)}&format=csv`),
    revenue: (site: string, r: RangeQuery, breakdown: 'channel' | 'variant', experiment?: string) =>
      get<RevenueResponse>(
        `${sitePath(site)}/revenue?${rangeQs(r, { breakdown, breakdown_key: breakdown === 'variant' ? experiment : undefined })}`,
      ),
    attribution: (site: string, r: RangeQuery, dimension: AttributionDimension) =>
      get<AttributionResponse>(`${sitePath(site)}/attribution?${rangeQs(r, { dimension })}`),
    products: (site: string, r: RangeQuery, q: ProductListQuery) =>
      get<ProductsResponse>(`${sitePath(site)}/products?${productQs(r, q)}`),
    /** The same rows as CSV (the first 1000 in this order), fetched with the key. */
    productsCsv: (site: string, r: RangeQuery, q: ProductListQuery) =>
      download(key, `${sitePath(site)}/products?${productQs(r, q)}&format=csv`),
    currencyRates: (site: string) =>
      get<{ currency_rates: CurrencyRates | null }>(`${sitePath(site)}/settings/currency-rates`),
    saveCurrencyRates: (site: string, rates: CurrencyRates) =>
      request<{ currency_rates: CurrencyRates | null }>(
        key,
        'PUT',
        `${sitePath(site)}/settings/currency-rates`,
        rates,
      ),
    deleteCurrencyRates: (site: string) =>
      request<unknown>(key, 'DELETE', `${sitePath(site)}/settings/currency-rates`),
    forecast: (site: string, tz: string, targetOrders?: number) =>
      get<ForecastResponse>(
        `${sitePath(site)}/forecast?${new URLSearchParams({ tz, days: '30', ...(targetOrders ? { target_orders: String(targetOrders) } : {}) })}`,
      ),
    deleteFunnel: (site: string, id: string) =>
      request<unknown>(key, 'DELETE', `${sitePath(site)}/funnels/${encodeURIComponent(id)}`),
  };
}
export type Api = ReturnType<typeof apiClient>;
