ALTER TABLE `funnelhouse`.`events_v1_local` ON CLUSTER `events`
