ALTER TABLE extensions DROP COLUMN decision_ref;
ALTER TABLE approvals DROP COLUMN decided_on;
ALTER TABLE milestones DROP COLUMN completed_on;
ALTER TABLE users DROP COLUMN full_name;
