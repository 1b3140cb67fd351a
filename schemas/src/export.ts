import { z } from 'zod';
import { overviewQuerySchema } from './api.ts';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;

/** Query string of the raw event export: the overview's range and an output format. */
export const exportQuerySchema = overviewQuerySchema
  .pick({ from: true, to: true, range: true, tz: true })
  .extend({
    format: z.enum(EXPORT_FORMATS).default('ndjson'),
  });
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/**
 * Columns of an exported event, in output order: the stored row minus `site_id` (implied by the
 * URL). `ts` and `received_at` are ISO-8601 UTC with milliseconds; `items`, `experiments`,
 * `props` and `form_fields` are JSON values in NDJSON and JSON text in CSV cells.
 */
export const EXPORT_COLUMNS = [
  'event_id',
  'type',
  'name',
  'ts',
  'received_at',
  'source',
  'visitor_id',
  'session_id',
  'user_id',
  'url',
  'host',
  'path',
  'title',
  'referrer',
  'referrer_host',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'click_id_kind',
  'browser',
  'browser_version',
  'os',
  'device',
  'country',
  'el_tag',
  'el_id',
  'el_classes',
  'el_selector',
  'el_text',
  'el_href',
  'form_id',
  'form_name',
  'form_fields',
  'cart_id',
  'order_id',
  'revenue',
  'currency',
  'items',
  'experiments',
  'props',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
