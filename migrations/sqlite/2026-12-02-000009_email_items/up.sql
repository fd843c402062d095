-- Each reminder keeps its idempotency key here; one email may carry
-- several reminders for the same person on the same day.
CREATE TABLE email_items (
    idempotency_key TEXT PRIMARY KEY,
    email_id        TEXT NOT NULL REFERENCES emails (id),
    kind            TEXT NOT NULL,
    secondment_id   TEXT,
    reference_date  DATE,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX email_items_email ON email_items (email_id);
CREATE INDEX email_items_secondment ON email_items (secondment_id, kind, reference_date);
CREATE INDEX email_items_kind_date ON email_items (kind, reference_date);
INSERT INTO email_items (idempotency_key, email_id, kind, secondment_id, reference_date, created_at)
    SELECT idempotency_key, id, kind, secondment_id, reference_date, created_at FROM emails;
