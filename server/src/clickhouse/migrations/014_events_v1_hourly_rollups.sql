-- Hourly rollups of each site's events, kept by the engine inside every part (projections), for
-- the overview (`queries/getOverviewCounts.ts`, `queries/getTopValues.ts`) when its range starts
-- and ends on the hour: it reads rows per site and hour instead of every event.
-- - visits_hourly: events, pageviews, visitor and session states (they merge to exactly what the
--   events would give);
-- - types_hourly: events per type;
-- - visitors_hourly: each visitor's first event's values in the hour (first touch; the key is
--   `FIRST_KEY` of queries/getTopValues.ts, written out the same);
-- - pages_hourly: events and visitor states per type and path;
-- - values_hourly: events per type and per combination of the top lists' columns.
-- Inserts, merges and the erasure mutations keep them in step; parts stored before this
-- migration are read as events until migration 015 has built theirs.
ALTER TABLE {db:Identifier}.events_v1
    ADD PROJECTION IF NOT EXISTS visits_hourly
    (
        SELECT site_id, toStartOfHour(ts), count(), countIf(type = 'pageview'),
            uniqCombined64(visitor_id), uniqCombined64(session_id)
        GROUP BY site_id, toStartOfHour(ts)
    ),
    ADD PROJECTION IF NOT EXISTS types_hourly
    (
        SELECT site_id, toStartOfHour(ts), type, count()
        GROUP BY site_id, toStartOfHour(ts), type
    ),
    ADD PROJECTION IF NOT EXISTS visitors_hourly
    (
        SELECT site_id, toStartOfHour(ts), visitor_id,
            argMin((toString(referrer_host), toString(channel), toString(utm_source), toString(utm_campaign), toString(country),
                toString(device), toString(browser)),
                bitShiftLeft(toUInt256(toUnixTimestamp64Milli(ts)), 192) + reinterpretAsUInt256(reverse(rightPad(substring(event_id, 1, 24), 24, char(0)))))
        GROUP BY site_id, toStartOfHour(ts), visitor_id
    ),
    ADD PROJECTION IF NOT EXISTS pages_hourly
    (
        SELECT site_id, toStartOfHour(ts), type, path, count(), uniqCombined64(nullIf(visitor_id, ''))
        GROUP BY site_id, toStartOfHour(ts), type, path
    ),
    ADD PROJECTION IF NOT EXISTS values_hourly
    (
        SELECT site_id, toStartOfHour(ts), type, referrer_host, channel, utm_source, utm_campaign, country,
            device, browser, count()
        GROUP BY site_id, toStartOfHour(ts), type, referrer_host, channel, utm_source, utm_campaign, country,
            device, browser
    )
