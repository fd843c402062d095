-- Extensions, milestones, outcomes, final evaluations and delegations.

CREATE TABLE extensions (
    id                  TEXT PRIMARY KEY NOT NULL,
    secondment_id       TEXT NOT NULL REFERENCES secondments (id),
    requested_by        TEXT NOT NULL REFERENCES users (id),
    requested_end_date  DATE NOT NULL,
    previous_end_date   DATE NOT NULL,
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    decided_at          TIMESTAMP,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX extensions_secondment_idx ON extensions (secondment_id, id);
-- At most one pending extension per secondment, enforced by the database.
CREATE UNIQUE INDEX extensions_one_pending_key ON extensions (secondment_id) WHERE status = 'pending';

CREATE TABLE milestones (
    id             TEXT PRIMARY KEY NOT NULL,
    secondment_id  TEXT NOT NULL REFERENCES secondments (id),
    title          TEXT NOT NULL,
    description    TEXT,
    due_date       DATE NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('planned', 'done', 'missed', 'cancelled')),
    completed_at   TIMESTAMP,
    note           TEXT,
    template       TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX milestones_secondment_idx ON milestones (secondment_id, due_date);
CREATE INDEX milestones_status_due_idx ON milestones (status, due_date);

CREATE TABLE outcomes (
    id               TEXT PRIMARY KEY NOT NULL,
    secondment_id    TEXT NOT NULL REFERENCES secondments (id),
    title            TEXT NOT NULL,
    description      TEXT,
    pillar           TEXT NOT NULL CHECK (pillar IN ('digital_government', 'digital_economy', 'digital_society', 'other')),
    occurred_on      DATE NOT NULL,
    metrics_json     TEXT NOT NULL,
    milestone_id     TEXT REFERENCES milestones (id),
    acknowledged_by  TEXT REFERENCES users (id),
    acknowledged_at  TIMESTAMP,
    created_by       TEXT NOT NULL REFERENCES users (id),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX outcomes_secondment_idx ON outcomes (secondment_id, id);
CREATE INDEX outcomes_pillar_date_idx ON outcomes (pillar, occurred_on);

CREATE TABLE evaluations (
    secondment_id  TEXT PRIMARY KEY NOT NULL REFERENCES secondments (id),
    rating         TEXT NOT NULL CHECK (rating IN ('excellent', 'good', 'satisfactory', 'unsatisfactory')),
    comment        TEXT,
    evaluated_by   TEXT NOT NULL REFERENCES users (id),
    evaluated_at   TIMESTAMP NOT NULL
);

CREATE TABLE delegations (
    id            TEXT PRIMARY KEY NOT NULL,
    delegator_id  TEXT NOT NULL REFERENCES users (id),
    delegate_id   TEXT NOT NULL REFERENCES users (id),
    starts_on     DATE NOT NULL,
    ends_on       DATE NOT NULL,
    revoked_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (delegate_id <> delegator_id)
);
CREATE INDEX delegations_delegator_idx ON delegations (delegator_id, starts_on);
CREATE INDEX delegations_delegate_idx ON delegations (delegate_id, starts_on);
