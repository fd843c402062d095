-- Secondments, their approval decisions, and the link from audit events to
-- the secondment whose history they belong to.

CREATE TABLE secondments (
    id                    TEXT PRIMARY KEY NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('secondment', 'rotation')),
    official_id           TEXT NOT NULL REFERENCES officials (id),
    home_unit_id          TEXT NOT NULL REFERENCES org_units (id),
    host_unit_id          TEXT NOT NULL REFERENCES org_units (id),
    direction             TEXT NOT NULL CHECK (direction IN ('central_to_local', 'local_to_central', 'lateral')),
    ground                TEXT NOT NULL CHECK (ground IN ('urgent_task', 'fixed_term_task')),
    position_title        TEXT NOT NULL,
    mandate               TEXT NOT NULL,
    start_date            DATE NOT NULL,
    end_date              DATE NOT NULL,
    original_end_date     DATE NOT NULL,
    actual_end_date       DATE,
    status                TEXT NOT NULL CHECK (status IN ('draft', 'pending_approval', 'approved', 'active',
                                                          'completed', 'rejected', 'cancelled', 'terminated')),
    agreement_ref         TEXT,
    consultation_held_on  DATE,
    consultation_note     TEXT,
    decision_ref          TEXT,
    exception_ref         TEXT,
    return_arrangement    TEXT,
    end_reason            TEXT,
    submitted_at          TIMESTAMP,
    version               INTEGER NOT NULL DEFAULT 1,
    created_by            TEXT,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    CHECK (end_date > start_date)
);
CREATE INDEX secondments_official_idx ON secondments (official_id, status);
CREATE INDEX secondments_home_unit_idx ON secondments (home_unit_id, id);
CREATE INDEX secondments_host_unit_idx ON secondments (host_unit_id, id);
CREATE INDEX secondments_status_dates_idx ON secondments (status, start_date, end_date);

CREATE TABLE approvals (
    id            TEXT PRIMARY KEY NOT NULL,
    secondment_id TEXT NOT NULL REFERENCES secondments (id),
    request_id    TEXT NOT NULL,
    request_kind  TEXT NOT NULL CHECK (request_kind IN ('proposal', 'extension')),
    side          TEXT NOT NULL CHECK (side IN ('home', 'host')),
    decision      TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    comment       TEXT,
    decided_by    TEXT NOT NULL REFERENCES users (id),
    on_behalf_of  TEXT REFERENCES users (id),
    decided_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX approvals_request_side_key ON approvals (request_id, side);
CREATE INDEX approvals_secondment_idx ON approvals (secondment_id);

ALTER TABLE audit_events ADD COLUMN secondment_id TEXT;
CREATE INDEX audit_events_secondment_idx ON audit_events (secondment_id, id);
