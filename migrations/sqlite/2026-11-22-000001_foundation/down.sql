DROP TABLE audit_events;
DROP TABLE users;
DROP TABLE org_units;
