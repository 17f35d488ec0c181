-- Provisio's schema. Times are UTC RFC 3339 strings with millisecond precision
-- ("2026-11-22T20:57:25.123Z"), so text order is time order on every backend.

-- Portal administrators (argon2 PHC strings, never plain passwords).
CREATE TABLE admins (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    last_sign_in_at TEXT
);

-- Server-side admin sessions, in the layout tower-sessions-sqlx-store reads and writes.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);

-- SCIM bearer tokens: only the SHA-256 of the secret is kept (T6); at most two per IdP (T2).
CREATE TABLE scim_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    idp          TEXT NOT NULL CHECK (idp IN ('entra', 'okta')),
    secret_hash  TEXT NOT NULL UNIQUE,
    secret_hint  TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    renewed_at   TEXT,
    last_used_at TEXT,
    expires_at   TEXT
);
CREATE INDEX scim_tokens_idp ON scim_tokens (idp);

-- The audit trail: who did what, when (T5). details names the IdP vendor for token events.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT,
    details     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at, id);

-- Per-IdP settings (S1, S2).
CREATE TABLE idp_settings (
    idp                TEXT PRIMARY KEY NOT NULL CHECK (idp IN ('entra', 'okta')),
    auto_invite        INTEGER NOT NULL DEFAULT 0,
    managed_apple_id   INTEGER NOT NULL DEFAULT 0,
    apple_id_subdomain INTEGER NOT NULL DEFAULT 0,
    connected_at       TEXT,  -- C2: the first authenticated SCIM request from this IdP
    updated_at         TEXT
);
INSERT INTO idp_settings (idp) VALUES ('entra'), ('okta');

-- Custom attributes an admin defined for an IdP (S3, A4, A5).
CREATE TABLE custom_attributes (
    idp        TEXT NOT NULL CHECK (idp IN ('entra', 'okta')),
    name       TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (idp, name)
);

-- Users. `resource` is the SCIM document exactly as the IdP sent it (Entra diffs against
-- what it reads back); the columns beside it are what lookups, lists and rules need.
CREATE TABLE users (
    id               TEXT PRIMARY KEY NOT NULL,
    user_name        TEXT NOT NULL,
    user_name_key    TEXT NOT NULL UNIQUE,  -- case-folded: userName is caseExact=false (P4)
    external_id      TEXT,
    display_name     TEXT,
    display_name_key TEXT,
    given_name       TEXT,
    family_name      TEXT,
    email            TEXT,
    active           INTEGER NOT NULL DEFAULT 1,
    source           TEXT NOT NULL CHECK (source IN ('local', 'legacy_entra', 'scim_entra', 'scim_okta')),
    scim_deleted_at  TEXT,                  -- L3: deleted by the IdP, suspended here, 404 to SCIM
    resource         TEXT NOT NULL DEFAULT '{}',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX users_external_id ON users (external_id);
CREATE INDEX users_display_name_key ON users (display_name_key);
CREATE INDEX users_source ON users (source, user_name_key);
CREATE INDEX users_created ON users (created_at, id);

-- Every email address of a user, case-folded, for `emails.value eq` lookups.
CREATE TABLE user_emails (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value_key TEXT NOT NULL,
    PRIMARY KEY (user_id, value_key)
) WITHOUT ROWID;
CREATE INDEX user_emails_value ON user_emails (value_key);

-- Groups: names are unique across every source (P6).
CREATE TABLE groups (
    id               TEXT PRIMARY KEY NOT NULL,
    display_name     TEXT NOT NULL,
    display_name_key TEXT NOT NULL UNIQUE,
    external_id      TEXT,
    source           TEXT NOT NULL CHECK (source IN ('builtin', 'local', 'legacy_entra', 'scim_entra', 'scim_okta')),
    resource         TEXT NOT NULL DEFAULT '{}',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX groups_external_id ON groups (external_id);
CREATE INDEX groups_created ON groups (created_at, id);
INSERT INTO groups (id, display_name, display_name_key, source, created_at, updated_at)
VALUES ('all-users', 'All Users', 'all users', 'builtin', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z');

-- Direct memberships only (P3); one row per member, so changes cost what they change.
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display  TEXT,  -- the member's `display` as the IdP sent it
    added_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (user_id, group_id);

-- Every SCIM request, redacted and size-capped.
CREATE TABLE scim_requests (
    id            INTEGER PRIMARY KEY,
    occurred_at   TEXT NOT NULL,
    idp           TEXT NOT NULL,
    token_id      TEXT,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    status        INTEGER NOT NULL,
    duration_ms   REAL NOT NULL,
    resource_type TEXT,
    resource_id   TEXT,
    scim_type     TEXT,
    detail        TEXT,
    request_body  TEXT,
    response_body TEXT
);
CREATE INDEX scim_requests_occurred ON scim_requests (occurred_at, id);
CREATE INDEX scim_requests_idp ON scim_requests (idp, occurred_at);
CREATE INDEX scim_requests_resource ON scim_requests (resource_id);
