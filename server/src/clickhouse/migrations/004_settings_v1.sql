-- Instance settings such as the admin key hash; latest version of a name wins.
CREATE TABLE IF NOT EXISTS {db:Identifier}.settings_v1
(
    name        String                 COMMENT 'Setting name',
    value       String                 COMMENT 'Setting value (hashes only, never a plain secret)',
    updated_at  DateTime64(3, 'UTC')   COMMENT 'Version of this row'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name
COMMENT 'Instance settings'
