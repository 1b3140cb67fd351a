-- Per-site privacy switch: honour the browser's Do Not Track / Global Privacy Control signal.
ALTER TABLE {db:Identifier}.sites_v1
    ADD COLUMN IF NOT EXISTS respect_dnt UInt8 DEFAULT 0
    COMMENT '1 when events sent with DNT: 1 or Sec-GPC: 1 are dropped (reason dnt); 0 ignores those headers'
    AFTER allowed_hosts
