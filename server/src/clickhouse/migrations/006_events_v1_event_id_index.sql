-- Lets the first-version-wins check (queries/listStoredEventIds.ts) find stored event ids of a
-- site without reading every granule: about 1% false positives, one filter per granule. Applies
-- to parts written from now on; older parts are read in full until they are merged.
ALTER TABLE {db:Identifier}.events_v1
    ADD INDEX IF NOT EXISTS event_id_bloom event_id TYPE bloom_filter(0.01) GRANULARITY 1
