-- Builds the revenue rollups of migration 020 for the parts stored before it, in the background;
-- until a part has them, the revenue report and the forecast read its events.
ALTER TABLE {db:Identifier}.events_v1
    MATERIALIZE PROJECTION revenue_visitors_hourly,
    MATERIALIZE PROJECTION revenue_orders_hourly
