-- An hourly rollup of each order's figure (queries/getOrdersSummary.ts): per site, hour, type and
-- order id, the revenue and currency `ORDER_FIGURE_RANK` of sql/orders.ts picks (written out the
-- same) and whether a browser and a server or import event reported it. Purchases are about 1 %
-- of the events but lie in every granule, so the summary read every column it needs for all
-- events; the rollup has a row per order and hour, and one per hour and type for the rest.
-- Migration 019 builds it for the parts stored before.
ALTER TABLE {db:Identifier}.events_v1
    ADD PROJECTION IF NOT EXISTS orders_hourly
    (
        SELECT site_id, toStartOfHour(ts), type, order_id,
            argMin(revenue, (source = 'browser', received_at, revenue, currency)),
            argMin(currency, (source = 'browser', received_at, revenue, currency)),
            max(source = 'browser'), max(source != 'browser')
        GROUP BY site_id, toStartOfHour(ts), type, order_id
    )
