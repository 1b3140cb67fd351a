-- Per-site settings and automation state: the reporting-currency rates, the recovery webhook,
-- its deliveries and their attempts. One row per (site, kind, key); a new version (higher
-- updated_at) replaces the old one, readers use FINAL. One table because each of these is a
-- handful of small JSON documents per site, read by key; fsynced so a webhook's record of what
-- was announced survives a crash of the machine, not only of the process.
CREATE TABLE IF NOT EXISTS {db:Identifier}.site_state_v1
(
    site_id     String                 COMMENT 'Site the row belongs to (sites_v1.site_id)',
    kind        LowCardinality(String) COMMENT 'currency_rates, webhook, delivery or attempt',
    key         String                 COMMENT 'Empty for per-site settings; the delivery id (delivery) or delivery id and attempt number (attempt)',
    value       String                 COMMENT 'The document as JSON, validated before it is stored; webhook secrets are kept here for signing and never returned after creation',
    updated_at  DateTime64(3, 'UTC')   COMMENT 'Version of this row',
    deleted     UInt8                  COMMENT '1 when the row was deleted'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, kind, key)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1
COMMENT 'Per-site settings and webhook state'
