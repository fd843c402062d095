-- One personal calendar feed per user: the token in the feed's URL, stored
-- only as its SHA-256. Issuing a new token replaces the row, so the old
-- URL stops working at once.
CREATE TABLE calendar_tokens (
    user_id    TEXT PRIMARY KEY REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
