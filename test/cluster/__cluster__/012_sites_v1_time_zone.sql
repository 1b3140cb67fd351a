ALTER TABLE `funnelhouse`.`sites_v1` ON CLUSTER `events`
