-- Builds the first-touch rollup of migration 016 for the parts stored before it, in the
-- background; until a part has it, the overview reads its events.
ALTER TABLE {db:Identifier}.events_v1
    MATERIALIZE PROJECTION first_touch_hourly
