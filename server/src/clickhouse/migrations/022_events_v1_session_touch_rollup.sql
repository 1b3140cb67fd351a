-- A session rollup for the attribution report (attribution/), read for ranges on whole hours as
-- the overview's and the revenue report's rollups are (`rollupForm`). Without it the report
-- grouped every event of the range (and of the lookback before it, for the buyers) by visitor and
-- session: at 10 M events 1.1 s for the buyers' 310 k sessions and 1.5–2 s for the range's 1.15 M.
-- - session_touch_hourly: per site, hour, visitor and session, the first event's time and that
--   event's sources (channel, utm_source, utm_medium, utm_campaign, referrer_host) as one string
--   (`SESSION_TOUCH` of attribution/attribution-sql.ts: `joinTouch` of sql/touch.ts), first by
--   (ts, event_id) exactly (`EVENT_ORDER_KEY` of sql/sort-keys.ts). A session over several hours
--   merges its hours' states.
-- The expressions are written out as the queries write them; those queries turn off the engine's
-- rewrite of `!= ''` comparisons (`ROLLUP_SETTINGS`), which would keep the rollup unused.
-- Migration 023 builds it for the parts stored before.
ALTER TABLE {db:Identifier}.events_v1
    ADD PROJECTION IF NOT EXISTS session_touch_hourly
    (
        SELECT site_id, toStartOfHour(ts), visitor_id, session_id,
            min(ts),
            argMin(concat(
                replaceAll(replaceAll(toString(channel), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_source), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_medium), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_campaign), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(referrer_host), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C')),
                concat(reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(ts)), 9223372036854775808))), event_id))
        GROUP BY site_id, toStartOfHour(ts), visitor_id, session_id
    )
