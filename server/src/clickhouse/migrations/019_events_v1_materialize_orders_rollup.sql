-- Builds the orders rollup of migration 018 for the parts stored before it, in the background;
-- until a part has it, the orders summary reads its events.
ALTER TABLE {db:Identifier}.events_v1
    MATERIALIZE PROJECTION orders_hourly
