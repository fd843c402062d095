DROP TABLE delegations;
DROP TABLE evaluations;
DROP TABLE outcomes;
DROP TABLE milestones;
DROP TABLE extensions;
