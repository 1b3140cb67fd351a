CREATE TABLE IF NOT EXISTS `funnelhouse`.`settings_v1` ON CLUSTER `events`
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}', updated_at)
