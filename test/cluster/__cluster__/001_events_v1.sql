CREATE TABLE IF NOT EXISTS `funnelhouse`.`events_v1_local` ON CLUSTER `events`
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
SETTINGS replicated_deduplication_window = 10000
CREATE TABLE IF NOT EXISTS `funnelhouse`.`events_v1` ON CLUSTER `events` AS `funnelhouse`.`events_v1_local`
ENGINE = Distributed(`events`, `funnelhouse`, `events_v1_local`, sipHash64(visitor_id))
