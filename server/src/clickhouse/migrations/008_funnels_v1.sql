-- Saved funnels. A new version of a row (higher updated_at) replaces the old one; readers use FINAL.
CREATE TABLE IF NOT EXISTS {db:Identifier}.funnels_v1
(
    site_id     String                 COMMENT 'Site the funnel belongs to (sites_v1.site_id)',
    funnel_id   String                 COMMENT 'Stable funnel id used in API paths',
    name        String                 COMMENT 'Display name',
    definition  String                 COMMENT 'The funnel definition as JSON (schemas/src/funnel.ts), validated before it is stored',
    created_at  DateTime64(3, 'UTC')   COMMENT 'When the funnel was created',
    updated_at  DateTime64(3, 'UTC')   COMMENT 'Version of this row',
    deleted     UInt8                  COMMENT '1 when the funnel was deleted'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, funnel_id)
COMMENT 'Saved funnel definitions'
