-- S1: registration invitations to users an IdP provisioned. The row is written in the same
-- transaction as the user, so an invitation is never lost; a background sender works through
-- the pending ones and retries while the mail server is down.
CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    user_id         TEXT NOT NULL UNIQUE,  -- once per user; kept if the user is deleted later
    idp             TEXT NOT NULL CHECK (idp IN ('entra', 'okta')),
    user_name       TEXT NOT NULL,
    display_name    TEXT,
    email           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX invitations_due ON invitations (status, next_attempt_at);
CREATE INDEX invitations_idp ON invitations (idp, created_at);
