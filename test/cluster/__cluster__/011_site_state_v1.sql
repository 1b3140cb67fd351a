CREATE TABLE IF NOT EXISTS `funnelhouse`.`site_state_v1` ON CLUSTER `events`
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}', updated_at)
