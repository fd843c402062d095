-- Names where people need them, and business dates kept apart from system times.
ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE milestones ADD COLUMN completed_on DATE;
ALTER TABLE approvals ADD COLUMN decided_on DATE;
ALTER TABLE extensions ADD COLUMN decision_ref TEXT;
