-- Sites. A new version of a row (higher updated_at) replaces the old one; readers use FINAL.
CREATE TABLE IF NOT EXISTS {db:Identifier}.sites_v1
(
    site_id        String                 COMMENT 'Stable site id used in API paths',
    name           String                 COMMENT 'Display name',
    site_key       String                 COMMENT 'Public ingestion key, embedded in pages (not secret)',
    allowed_hosts  Array(String)          COMMENT 'Host names allowed to send events; empty allows any',
    created_at     DateTime64(3, 'UTC')   COMMENT 'When the site was created',
    updated_at     DateTime64(3, 'UTC')   COMMENT 'Version of this row',
    deleted        UInt8                  COMMENT '1 when the site was deleted'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site_id
COMMENT 'Sites and their public site keys'
