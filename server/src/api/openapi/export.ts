/** The raw events export in the OpenAPI document (secret API key). */
import { exportQuerySchema } from '@funnelhouse/schemas';
import { type Json, queryParams, ref, siteOp, siteParam } from './parts.ts';

const exportMedia = {
  // OpenAPI 3.1 has no schema for one item of a sequential media type (3.2's `itemSchema`):
  // the schema given here is that of each line.
  'application/x-ndjson': { schema: ref('ExportEvent') },
  'text/csv': {
    schema: {
      type: 'string',
      description:
        'A header line of the column names (those of ExportEvent, in its order), then one RFC 4180 record per ' +
        'event; `form_fields`, `items`, `experiments` and `props` cells hold JSON text.',
    },
  },
};

export function exportPaths(): Json {
  const sp = '/api/v1/sites/{siteId}';
  return {
    [`${sp}/events/export`]: {
      get: siteOp(
        'Export raw events in [from, to), streamed in (ts, event_id) order',
        { parameters: [siteParam, ...queryParams(exportQuerySchema)] },
        {
          '200': {
            description:
              '`format=ndjson` (default): one ExportEvent JSON object per line. `format=csv`: the same ' +
              'columns as CSV. Sent as an attachment.',
            content: exportMedia,
          },
        },
      ),
    },
  };
}
