-- Who runs a job that must run on one process at a time (the daily tick),
-- until when. A process takes the lease when the row is missing or its
-- time is up, and gives it back when done; a crashed holder's lease runs out.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    lease_until TIMESTAMP NOT NULL
);
