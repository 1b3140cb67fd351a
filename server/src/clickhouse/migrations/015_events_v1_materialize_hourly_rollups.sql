-- Builds the hourly rollups of migration 014 for the parts stored before it, in the background;
-- until a part has them, reports read its events.
ALTER TABLE {db:Identifier}.events_v1
    MATERIALIZE PROJECTION visits_hourly,
    MATERIALIZE PROJECTION types_hourly,
    MATERIALIZE PROJECTION visitors_hourly,
    MATERIALIZE PROJECTION pages_hourly,
    MATERIALIZE PROJECTION values_hourly
