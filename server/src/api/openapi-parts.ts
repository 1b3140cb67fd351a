/** Building blocks of the OpenAPI document (`openapi.ts`): schemas from zod, refs, media, errors. */
import { z } from 'zod';

export type Json = Record<string, unknown>;

/** A JSON Schema for one zod schema, as a request accepts it (input) or a response gives it. */
export function schema(s: z.ZodType, io: 'input' | 'output' = 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  return rest;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (s: Json) => ({ 'application/json': { schema: s } });
export const ok = (description: string, s: Json) => ({ description, content: json(s) });
export const error = (description: string) => ({ description, content: json(ref('Error')) });
export const siteParam = { name: 'siteId', in: 'path', required: true, schema: { type: 'string' } };

/** Query-string parameters from a zod object schema, one per property. */
export function queryParams(s: z.ZodObject): Json[] {
  const js = schema(s, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({
    name,
    in: 'query',
    required: (js.required ?? []).includes(name),
    schema: p,
  }));
}

const siteErrors = {
  '400': error('Invalid request; `issues` gives the path of each problem'),
  '401': error('Missing or invalid API key'),
  '404': error('Unknown site (or a key for another site), or unknown funnel or experiment'),
};

/**
 * An operation guarded by a site's secret API key, with the errors every such operation has (an
 * operation may describe one of them more precisely).
 */
export function siteOp(summary: string, extra: Json, responses: Json): Json {
  return { summary, security: [{ apiKey: [] }], ...extra, responses: { ...siteErrors, ...responses } };
}

/** The errors of every admin-key operation. */
export const adminErrors = {
  '401': error('Missing key'),
  '403': error('Not the admin key'),
};

/** Operations whose queries run on the reports clients, under the per-query limits. */
const REPORT_OPERATIONS = [
  'get /api/v1/sites/{siteId}/overview',
  'get /api/v1/sites/{siteId}/realtime',
  'get /api/v1/sites/{siteId}/schema',
  'get /api/v1/sites/{siteId}/events',
  'get /api/v1/sites/{siteId}/events/export',
  'get /api/v1/sites/{siteId}/orders/summary',
  'post /api/v1/sites/{siteId}/funnels/query',
  'get /api/v1/sites/{siteId}/funnels/{funnelId}/results',
  'get /api/v1/sites/{siteId}/experiments/{key}/results',
  'get /api/v1/sites/{siteId}/carts/abandonment',
  'get /api/v1/sites/{siteId}/carts/abandoned',
  'get /api/v1/sites/{siteId}/revenue',
  'get /api/v1/sites/{siteId}/forecast',
];

/**
 * Adds the bounds every route shares: `413` to each operation with a body (all bodies are
 * limited, see `limitBodies`), `422 query_too_expensive` and `429 report_capacity` to the reports.
 */
export function withBoundsErrors(paths: Json): Json {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Json>)) {
      const responses = op.responses as Json;
      if (op.requestBody && !responses['413']) responses['413'] = error('Body too large');
      if (REPORT_OPERATIONS.includes(`${method} ${path}`)) {
        responses['422'] = error('The query went over its time or memory limit (`query_too_expensive`)');
        responses['429'] = error(
          'The site or the API key has as many reports running or waiting as it may (`report_capacity`): retry after `Retry-After` seconds',
        );
      }
    }
  }
  return paths;
}
