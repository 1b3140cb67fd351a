-- A saved funnel's breakdown, so loading the funnel shows it as it was saved.
ALTER TABLE {db:Identifier}.funnels_v1
    ADD COLUMN IF NOT EXISTS breakdown String DEFAULT ''
    COMMENT 'The saved breakdown as JSON (FunnelBreakdown, schemas/src/funnel.ts), validated before it is stored; empty for none'
    AFTER definition
