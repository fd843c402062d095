-- The email outbox (one row per email, unique idempotency key) and the
-- public holidays that move reminders to the working day before.

CREATE TABLE holidays (
    holiday_date  DATE PRIMARY KEY NOT NULL,
    name_vi       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- Official holidays of 2025 and 2026 (civil service, compensatory days
-- included); administrators maintain later years through the API.
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-01', 'Tết Dương lịch', 'New Year''s Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-27', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-28', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-29', 'Tết Nguyên đán', 'Lunar New Year''s Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-30', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-01-31', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-04-07', 'Giỗ Tổ Hùng Vương', 'Hung Kings'' Commemoration Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-04-30', 'Ngày Giải phóng miền Nam', 'Reunification Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-05-01', 'Ngày Quốc tế Lao động', 'International Labour Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-05-02', 'Nghỉ bù', 'Compensatory day off', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-09-01', 'Quốc khánh', 'National Day holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2025-09-02', 'Quốc khánh', 'National Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-01-01', 'Tết Dương lịch', 'New Year''s Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-02-16', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-02-17', 'Tết Nguyên đán', 'Lunar New Year''s Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-02-18', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-02-19', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-02-20', 'Tết Nguyên đán', 'Lunar New Year holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-04-27', 'Giỗ Tổ Hùng Vương (nghỉ bù)', 'Hung Kings'' Commemoration Day (observed)', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-04-30', 'Ngày Giải phóng miền Nam', 'Reunification Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-05-01', 'Ngày Quốc tế Lao động', 'International Labour Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-08-31', 'Nghỉ bù', 'Compensatory day off', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-09-01', 'Quốc khánh', 'National Day holiday', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-09-02', 'Quốc khánh', 'National Day', CURRENT_TIMESTAMP);
INSERT INTO holidays (holiday_date, name_vi, name_en, created_at) VALUES ('2026-11-24', 'Ngày Văn hóa Việt Nam', 'Vietnamese Culture Day', CURRENT_TIMESTAMP);

CREATE TABLE emails (
    id               TEXT PRIMARY KEY NOT NULL,
    idempotency_key  TEXT NOT NULL,
    kind             TEXT NOT NULL,
    secondment_id    TEXT REFERENCES secondments (id),
    reference_date   DATE,
    recipient_email  TEXT NOT NULL,
    recipient_name   TEXT,
    language         TEXT NOT NULL CHECK (language IN ('vi', 'en')),
    subject          TEXT NOT NULL,
    text_body        TEXT NOT NULL,
    html_body        TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMP NOT NULL,
    lease_until      TIMESTAMP,
    last_error       TEXT,
    message_id       TEXT NOT NULL,
    sent_at          TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX emails_idempotency_key ON emails (idempotency_key);
CREATE INDEX emails_due_idx ON emails (status, next_attempt_at);
CREATE INDEX emails_secondment_idx ON emails (secondment_id, id);
