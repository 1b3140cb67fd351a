/** Building blocks of the OpenAPI document (`document.ts`): schemas from zod, refs, media, errors. */
import { ERROR_STATUS, type ErrorCode } from '@funnelhouse/schemas';
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
/** A path parameter other than the site. */
export const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
/** `?explain=1` of a report whose body is JSON (a GET report has it among its query parameters). */
export const explainParam = {
  name: 'explain',
  in: 'query',
  required: false,
  description: 'When 1, the answer includes the SQL and the parameters that produced it.',
  schema: { type: 'string', enum: ['0', '1', 'true', 'false'] },
};

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

/** A valid key that is not the site's secret API key (the admin key, or a public site key). */
export const wrongKeyKind = error(
  "A valid key of the wrong kind (`wrong_key_kind`): the admin key or a site's public site key, where the site's secret API key is needed",
);

const siteErrors = {
  '400': error('Invalid request; `issues` gives the path of each problem'),
  '401': error('Missing or invalid API key (`unauthorized`)'),
  '403': wrongKeyKind,
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
  '401': error('Missing key (`unauthorized`)'),
  '403': error('Not the admin key (`forbidden`)'),
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
  'post /api/v1/sites/{siteId}/funnels/correlation',
  'get /api/v1/sites/{siteId}/funnels/{funnelId}/results',
  'post /api/v1/sites/{siteId}/paths',
  'get /api/v1/sites/{siteId}/experiments/{key}/results',
  'get /api/v1/sites/{siteId}/carts/abandonment',
  'get /api/v1/sites/{siteId}/carts/abandoned',
  'get /api/v1/sites/{siteId}/revenue',
  'get /api/v1/sites/{siteId}/attribution',
  'get /api/v1/sites/{siteId}/products',
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
        // An operation with limits of its own documents its 422 itself, naming each code.
        responses['422'] ??= error('The query went over its time or memory limit (`query_too_expensive`)');
        responses['429'] = error(
          'The site or the API key has as many reports running or waiting as it may (`report_capacity`): retry after `Retry-After` seconds',
        );
      }
    }
  }
  return paths;
}

/** The code an error response shows when its description names none (400 is decided per operation). */
const DEFAULT_CODE: Record<string, ErrorCode> = {
  '401': 'unauthorized',
  '403': 'forbidden',
  '404': 'not_found',
  '405': 'method_not_allowed',
  '409': 'conflict',
  '413': 'payload_too_large',
  '415': 'unsupported_media_type',
  '422': 'query_too_expensive',
  '429': 'report_capacity',
  '500': 'internal_error',
  '503': 'store_unavailable',
};

/**
 * The code an error response of `status` shows in its example: the first code its description
 * names in backticks that has this status, else the usual code of the status (a 400 with a body
 * is `invalid_body`, without one `invalid_query`). Without an example, Swagger UI shows the first
 * value of the code enum, `invalid_json`, under every status.
 */
export function exampleCode(status: string, description: string, hasBody: boolean): ErrorCode {
  const named = [...description.matchAll(/`([a-z_]+)`/g)]
    .map((m) => m[1] as ErrorCode)
    .find((code) => String(ERROR_STATUS[code]) === status);
  if (named) return named;
  if (status === '400') return hasBody ? 'invalid_body' : 'invalid_query';
  const code = DEFAULT_CODE[status];
  if (!code) throw new Error(`OpenAPI: no example error code for status ${status}`);
  return code;
}

const EXAMPLE_REQUEST_ID = 'b5e0c2a4-1f0d-4c55-9a43-0e6f3d2b7c81';

/** Gives every documented error answer an example body with a code that its status really has. */
export function withErrorExamples(paths: Json): Json {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item as Record<string, Json>)) {
      const responses = op.responses as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const media = (response.content as Record<string, Json> | undefined)?.['application/json'];
        if (Number(status) < 400 || !media || (media.schema as Json).$ref !== ref('Error').$ref) continue;
        const description = String(response.description);
        const code = exampleCode(status, description, Boolean(op.requestBody));
        const message = description.replace(/ \(`[a-z_]+`\)$/, '');
        const example = { error: { code, message, requestId: EXAMPLE_REQUEST_ID } };
        // A copy: responses such as the site errors are shared by many operations.
        responses[status] = { ...response, content: { 'application/json': { ...media, example } } };
      }
    }
  }
  return paths;
}
