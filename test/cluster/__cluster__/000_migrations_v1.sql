CREATE TABLE IF NOT EXISTS `funnelhouse`.`schema_migrations_v1` ON CLUSTER `events`
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}', applied_at)
