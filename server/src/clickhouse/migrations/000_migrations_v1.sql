-- Which migrations have run. Created before any other migration is looked at.
CREATE TABLE IF NOT EXISTS {db:Identifier}.schema_migrations_v1
(
    version     UInt32                 COMMENT 'Number at the start of the migration file name',
    name        String                 COMMENT 'Migration file name',
    applied_at  DateTime64(3, 'UTC')   COMMENT 'When it was applied'
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version
COMMENT 'Applied schema migrations'
