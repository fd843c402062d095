-- Officials and their search terms (folded words, prefix-searchable through
-- the primary key index on both backends; see docs/decisions/0007).

CREATE TABLE officials (
    id                  TEXT PRIMARY KEY NOT NULL,
    staff_code          TEXT NOT NULL,
    full_name           TEXT NOT NULL,
    email               TEXT NOT NULL,
    email_normalized    TEXT NOT NULL,
    home_unit_id        TEXT NOT NULL REFERENCES org_units (id),
    position            TEXT,
    rank                TEXT,
    date_of_birth       DATE,
    language            TEXT NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
    protected_until     DATE,
    in_succession_plan  BOOLEAN NOT NULL DEFAULT FALSE,
    retirement_date     DATE,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX officials_staff_code_key ON officials (staff_code);
CREATE UNIQUE INDEX officials_email_normalized_key ON officials (email_normalized);
CREATE INDEX officials_home_unit_idx ON officials (home_unit_id, id);

CREATE TABLE official_search_terms (
    term         TEXT NOT NULL,
    official_id  TEXT NOT NULL REFERENCES officials (id),
    PRIMARY KEY (term, official_id)
);
CREATE INDEX official_search_terms_official_idx ON official_search_terms (official_id);
