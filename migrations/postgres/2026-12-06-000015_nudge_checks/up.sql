-- The approval nudges settled for each waiting request: a fingerprint of
-- who was due a nudge (undecided sides, their directors, escalation), kept
-- once all of those nudges are in the outbox. The daily tick skips a
-- request whose fingerprint has not changed (src/mail/nudge_checks.rs).
CREATE TABLE nudge_checks (
    request_id TEXT PRIMARY KEY NOT NULL,
    signature TEXT NOT NULL
);
