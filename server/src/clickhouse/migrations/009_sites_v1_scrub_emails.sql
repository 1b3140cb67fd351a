-- Per-site privacy switch: replace e-mail addresses in free text (titles, click text, properties).
ALTER TABLE {db:Identifier}.sites_v1
    ADD COLUMN IF NOT EXISTS scrub_emails UInt8 DEFAULT 0
    COMMENT '1 when e-mail addresses in title, el_text and props values are stored as [redacted]; 0 keeps that text as sent (URLs and UTM values are scrubbed either way)'
    AFTER respect_dnt
