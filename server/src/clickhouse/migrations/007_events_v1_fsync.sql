-- An insert returns only once its part is fsynced. The spool deletes a segment after the insert
-- that carried it returned, so without this an operating-system crash (not just a process crash)
-- could lose acknowledged events that the page cache had not yet written. One fsync per flush.
ALTER TABLE {db:Identifier}.events_v1
    MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1
