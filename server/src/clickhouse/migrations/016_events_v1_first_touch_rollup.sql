-- The first-touch rollup of migration 014 again, with each visitor's first-event values as one
-- string instead of a tuple: merging 1.26 M visitor-hours of tuple states took 1.2–1.5 s at 10 M
-- events, of one string 0.24–0.35 s (`FIRST_TOUCH` in queries/getTopValues.ts, written out the
-- same: each value escaped so that `\x1F` joins them and splits them back exactly). Replaces
-- visitors_hourly; migration 017 builds it for the parts stored before.
ALTER TABLE {db:Identifier}.events_v1
    DROP PROJECTION IF EXISTS visitors_hourly,
    ADD PROJECTION IF NOT EXISTS first_touch_hourly
    (
        SELECT site_id, toStartOfHour(ts), visitor_id,
            argMin(concat(
                replaceAll(replaceAll(toString(referrer_host), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(channel), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_source), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_campaign), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(country), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(device), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(browser), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C')),
                bitShiftLeft(toUInt256(toUnixTimestamp64Milli(ts)), 192) + reinterpretAsUInt256(reverse(rightPad(substring(event_id, 1, 24), 24, char(0)))))
        GROUP BY site_id, toStartOfHour(ts), visitor_id
    )
