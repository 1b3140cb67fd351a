
ALTER TABLE {db:Identifier}.events_v1_local ON CLUSTER `events`
DELETE WHERE site_id = {site:String} AND visitor_id = {visitor:String}