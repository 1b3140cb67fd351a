import type { ServerEventResult, ServerEventsResponse } from '@funnelhouse/schemas';
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { type DropReason, enrichEvent, type ServerContext } from '../enrich/pipeline.ts';
import type { EventRow } from '../enrich/row.ts';
import { presentedKey, requireSiteKey } from '../sites/auth.ts';
import { forEachInChunks } from './chunked.ts';
import { enforce, TokenBuckets } from './rate-limit.ts';
import { checkJsonContentType, parseServerEnvelope, validateServerEvent } from './server-parse.ts';
import { IdGate, storeNewRows } from './store-once.ts';

const REJECTION_MESSAGES: Partial<Record<DropReason, (cfg: Deps['config']) => string>> = {
  too_old: (cfg) => `ts is more than ${Math.round(cfg.serverEventMaxAgeMs / 86_400_000)} days old`,
  in_future: (cfg) => `ts is more than ${Math.round(cfg.serverEventMaxFutureMs / 1000)} s in the future`,
};

/**
 * `POST /api/v1/sites/:siteId/events`: events sent by the site's own servers (payment webhooks,
 * back ends) and by the import tool, with a secret API key. As on `/collect`, each event is
 * judged on its own (schema and property limits included): the answer lists every event as
 * stored, duplicate or rejected with a reason, so one bad event does not sink a batch. Answers
 * only after the stored rows are stored. Rate-limited per API key; events are judged in chunks
 * with turns of the event loop between them.
 */
export function serverEventRoutes(deps: Deps): Hono {
  const { config, metrics, registry } = deps;
  const gate = new IdGate();
  const perKey = new TokenBuckets(config.rateLimit.serverEvents);
  const app = new Hono();

  app.post(
    '/api/v1/sites/:siteId/events',
    // Its body limit (`LIMITS.serverBodyBytes`) is applied by `limitBodies` in app.ts.
    requireSiteKey(registry),
    async (c) => {
      const receivedAt = Date.now();
      // After the key check, so only real keys get a bucket; before the body is parsed.
      enforce(perKey, presentedKey((n) => c.req.header(n)) ?? '', 'API key');
      checkJsonContentType(c.req.header('content-type'));
      const envelope = parseServerEnvelope(await c.req.text());
      const siteId = c.req.param('siteId');
      const ctx: ServerContext = {
        source: envelope.source,
        siteId,
        receivedAt,
        maxAgeMs: config.serverEventMaxAgeMs,
        maxFutureMs: config.serverEventMaxFutureMs,
        scrubEmails: registry.byId(siteId)?.scrub_emails === 1,
        memo: { clients: new Map() },
      };
      const { results, fresh } = await judgeAll(envelope.events, ctx, deps);
      const existing = await storeNewRows(
        deps,
        gate,
        siteId,
        fresh.map((f) => f.row),
      );
      for (const { index, row } of fresh) {
        if (existing.has(row.event_id)) results[index] = { index, id: row.event_id, status: 'duplicate' };
      }
      const body = summarise(results);
      metrics.accepted.inc(body.accepted - body.duplicates);
      return c.json(body, 200);
    },
  );
  return app;
}

/**
 * Events judged between two turns of the event loop. A 4 MiB batch of 1,000 events judged in one
 * go held the loop for about half a second (other sites' `/collect` p99 138 → 699 ms); 50 at a
 * time, other requests are served between chunks.
 */
const JUDGE_CHUNK = 50;

/** Judges every event of a batch, in chunks; a repeated id within the batch is a duplicate. */
async function judgeAll(
  events: readonly unknown[],
  ctx: ServerContext,
  { config, metrics }: Deps,
): Promise<{ results: ServerEventResult[]; fresh: { index: number; row: EventRow }[] }> {
  const results: ServerEventResult[] = [];
  const fresh: { index: number; row: EventRow }[] = [];
  const seen = new Set<string>();
  await forEachInChunks(events, JUDGE_CHUNK, (raw, index) => {
    const judged = judge(raw, index, ctx, config);
    if (judged.reason) metrics.dropped.inc({ reason: judged.reason });
    else if (judged.result.status === 'rejected') metrics.eventsRejected.inc({ code: judged.result.code });
    // A second event with the same id in one batch: the first version wins, as across batches.
    if (judged.row && seen.has(judged.row.event_id)) {
      results.push({ index, id: judged.row.event_id, status: 'duplicate' });
    } else {
      results.push(judged.result);
      if (judged.row) {
        seen.add(judged.row.event_id);
        fresh.push({ index, row: judged.row });
      }
    }
  });
  return { results, fresh };
}

interface Judged {
  result: ServerEventResult;
  row?: EventRow;
  reason?: DropReason;
}

/** Validates and enriches one event: a row to store, or a rejected result with its reason. */
function judge(raw: unknown, index: number, ctx: ServerContext, config: Deps['config']): Judged {
  const v = validateServerEvent(raw, index);
  if (!v.ok) return { result: v.result };
  const out = enrichEvent(v.event, ctx);
  if (out.row) return { result: { index, id: v.event.id, status: 'stored' }, row: out.row };
  const message = REJECTION_MESSAGES[out.reason]?.(config) ?? out.reason;
  return {
    result: { index, id: v.event.id, status: 'rejected', code: rejection(out.reason), message },
    reason: out.reason,
  };
}

function rejection(reason: DropReason): 'too_old' | 'in_future' | 'invalid_event' {
  return reason === 'too_old' || reason === 'in_future' ? reason : 'invalid_event';
}

function summarise(results: ServerEventResult[]): ServerEventsResponse {
  let duplicates = 0;
  let rejected = 0;
  for (const r of results) {
    if (r.status === 'duplicate') duplicates++;
    else if (r.status === 'rejected') rejected++;
  }
  return { accepted: results.length - rejected, duplicates, rejected, results };
}
