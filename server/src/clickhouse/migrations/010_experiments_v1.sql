-- Experiment definitions. A new version of a row (higher updated_at) replaces the old one; readers use FINAL.
CREATE TABLE IF NOT EXISTS {db:Identifier}.experiments_v1
(
    site_id         String                 COMMENT 'Site the experiment belongs to (sites_v1.site_id)',
    experiment_key  String                 COMMENT 'The key the snippet sends as the exposure event name and in experiments[key]',
    definition      String                 COMMENT 'The definition without its key as JSON (schemas/src/experiment.ts), validated before it is stored',
    created_at      DateTime64(3, 'UTC')   COMMENT 'When the experiment was created',
    updated_at      DateTime64(3, 'UTC')   COMMENT 'Version of this row',
    deleted         UInt8                  COMMENT '1 when the experiment was deleted'
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (site_id, experiment_key)
COMMENT 'Experiment definitions'
