ALTER TABLE `funnelhouse`.`funnels_v1` ON CLUSTER `events`
