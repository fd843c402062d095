-- Set when a password was not chosen by its owner (the first administrator's
-- printed one, an administrator's reset): the next sign-in must choose a
-- new one before anything else (decision 0039).
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
