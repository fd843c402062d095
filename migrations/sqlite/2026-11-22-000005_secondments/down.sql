DROP INDEX audit_events_secondment_idx;
ALTER TABLE audit_events DROP COLUMN secondment_id;
DROP TABLE approvals;
DROP TABLE secondments;
