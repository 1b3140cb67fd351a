-- Hourly rollups for the revenue report and the forecast (revenue/queries/), read for ranges on
-- whole hours as the overview's are (`rollupForm`). Without them the report read, for every event
-- of the range, its visitor id, time, type and order id (and event ids for attribution): at 10 M
-- events 4.3 s of CPU, 1.1–1.7 s to answer.
-- - revenue_visitors_hourly: per site, hour and visitor, whether it bought in the hour (a purchase
--   event with an order id) and its first event's values in the hour as one string
--   (`TOUCH_VALUES` of sql/touch.ts), first by (ts, event_id) exactly, as the report attributes;
-- - revenue_orders_hourly: per site, hour, type and order id, the first event's time, the revenue
--   and currency `ORDER_FIGURE_RANK` of sql/orders.ts picks, and the first visitor id of the
--   order's events that carry one (an empty id ranks after every other).
-- Each rank is one string that sorts as its tuple (`ORDER_FIGURE_KEY`, `EVENT_ORDER_KEY` of
-- sql/sort-keys.ts): an `argMin` by a tuple keeps a generic state, 2–3× as slow to merge. The
-- expressions are written out as the queries write them, `= ''` and `!= ''` included: those
-- queries turn off the engine's rewrite of such comparisons (`ROLLUP_SETTINGS` of
-- revenue/revenue-sql.ts), which would keep the rollups unused. Migration 021 builds them for the
-- parts stored before.
ALTER TABLE {db:Identifier}.events_v1
    ADD PROJECTION IF NOT EXISTS revenue_visitors_hourly
    (
        SELECT site_id, toStartOfHour(ts), visitor_id,
            max(type = 'purchase' AND order_id != ''),
            argMin(concat(
                replaceAll(replaceAll(toString(referrer_host), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(channel), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_source), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(utm_campaign), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(country), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(device), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C'), '\x1F',
                replaceAll(replaceAll(toString(browser), '\x1E', '\x1E\x1D'), '\x1F', '\x1E\x1C')),
                concat(reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(ts)), 9223372036854775808))), event_id))
        GROUP BY site_id, toStartOfHour(ts), visitor_id
    ),
    ADD PROJECTION IF NOT EXISTS revenue_orders_hourly
    (
        SELECT site_id, toStartOfHour(ts), type, order_id,
            min(ts),
            argMin(revenue, concat(if(source = 'browser', '1', '0'), reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(received_at)), 9223372036854775808))),
                reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(reinterpretAsInt64(revenue)), 9223372036854775808))), toString(currency))),
            argMin(currency, concat(if(source = 'browser', '1', '0'), reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(received_at)), 9223372036854775808))),
                reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(reinterpretAsInt64(revenue)), 9223372036854775808))), toString(currency))),
            argMin(visitor_id, concat(if(visitor_id = '', '1', '0'), concat(reverse(reinterpretAsFixedString(bitXor(reinterpretAsUInt64(toUnixTimestamp64Milli(ts)), 9223372036854775808))), event_id)))
        GROUP BY site_id, toStartOfHour(ts), type, order_id
    )
