-- Foundation: organisation units, users, the append-only audit log.
-- Shared SQL types with the SQLite twin: ids are TEXT UUIDs, times are
-- UTC TIMESTAMP, enums are TEXT with a CHECK (see docs/database.md).

CREATE TABLE org_units (
    id            TEXT PRIMARY KEY NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_en       TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('ministry', 'ministry_department', 'province',
                                               'provincial_department', 'commune', 'other')),
    parent_id     TEXT REFERENCES org_units (id),
    valid_from    DATE NOT NULL,
    valid_to      DATE,
    successor_id  TEXT REFERENCES org_units (id),
    name_folded   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX org_units_code_key ON org_units (code);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);
CREATE INDEX org_units_name_folded_idx ON org_units (name_folded text_pattern_ops);

CREATE TABLE users (
    id                TEXT PRIMARY KEY NOT NULL,
    email             TEXT NOT NULL,
    email_normalized  TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin', 'hr_officer', 'director', 'cadre')),
    org_unit_id       TEXT REFERENCES org_units (id),
    official_id       TEXT,
    language          TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    disabled          BOOLEAN NOT NULL DEFAULT FALSE,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email_normalized_key ON users (email_normalized);

CREATE TABLE audit_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  TIMESTAMP NOT NULL,
    actor_id     TEXT,
    request_id   TEXT,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id);

-- The audit log is append-only: the database itself refuses changes.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
