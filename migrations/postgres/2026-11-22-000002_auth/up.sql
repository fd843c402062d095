-- Refresh tokens (stored only as SHA-256 hashes) and failed logins.

CREATE TABLE refresh_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id),
    family_id    TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    replaced_by  TEXT
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE login_failures (
    id                TEXT PRIMARY KEY NOT NULL,
    email_normalized  TEXT NOT NULL,
    occurred_at       TIMESTAMP NOT NULL,
    ip                TEXT
);
CREATE INDEX login_failures_email_idx ON login_failures (email_normalized, occurred_at);
