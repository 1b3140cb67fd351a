-- Builds the session rollup of migration 022 for the parts stored before it, in the background;
-- until a part has it, the attribution report reads its events.
ALTER TABLE {db:Identifier}.events_v1
    MATERIALIZE PROJECTION session_touch_hourly
