-- Per-site time zone: the zone of a report's days, bare dates and relative ranges when the request names none.
ALTER TABLE {db:Identifier}.sites_v1
    ADD COLUMN IF NOT EXISTS time_zone String DEFAULT 'UTC'
    COMMENT 'IANA time zone of the site reports, as the engine spells it (Europe/Berlin); a request tz overrides it'
    AFTER scrub_emails
