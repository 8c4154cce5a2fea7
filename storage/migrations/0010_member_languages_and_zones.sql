-- foreign_keys: off
-- Members may speak Japanese and German too, and keep their own time zone (an IANA name such
-- as Asia/Tokyo; NULL: Aguascalientes time only). SQLite cannot change the CHECK on `language`
-- in place, so `members` is rebuilt by SQLite's documented procedure
-- (https://www.sqlite.org/lang_altertable.html#otheralter): the runner turns foreign keys off
-- for this migration (the header above), so dropping the old table cascades to nothing, and
-- runs PRAGMA foreign_key_check before it commits. The tables that reference `members` keep
-- referring to it by name, and so do the views; legacy_alter_table keeps the rename from
-- rewriting or re-checking them while the old table is gone. The two indexes go with the old
-- table and are created again. Keep this column list in step with every column `members`
-- has by now (tests/storage/test_migrations.py checks that none is lost).
PRAGMA legacy_alter_table = ON;

CREATE TABLE members_new (
    id                    INTEGER PRIMARY KEY,
    telegram_user_id      INTEGER NOT NULL UNIQUE,
    chat_id               INTEGER,                      -- the private chat with the bot
    full_name             TEXT CHECK (full_name IS NULL OR length(full_name) BETWEEN 1 AND 100),
    organization_id       INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    job_title             TEXT CHECK (job_title IS NULL OR length(job_title) BETWEEN 1 AND 100),
    email                 TEXT CHECK (email IS NULL OR (length(email) <= 254 AND email LIKE '%_@_%._%')),
    phone                 TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 4 AND 32),
    language              TEXT CHECK (language IS NULL OR language IN ('es', 'en', 'ja', 'de')),
    role                  TEXT NOT NULL DEFAULT 'member'
                          CHECK (role IN ('member', 'coordinator', 'admin')),
    -- prospect: pressed Start, has not applied; pending: applied, awaiting approval.
    status                TEXT NOT NULL DEFAULT 'prospect'
                          CHECK (status IN ('prospect', 'pending', 'active', 'rejected', 'left')),
    -- Set when Telegram says the member blocked the bot; NULL = reachable.
    unreachable_since     TEXT,
    consent_version       TEXT,
    consent_at            TEXT,
    notifications_enabled INTEGER NOT NULL DEFAULT 1 CHECK (notifications_enabled IN (0, 1)),
    invitation_id         INTEGER REFERENCES invitations (id) ON DELETE SET NULL,
    applied_at            TEXT,
    decided_at            TEXT,
    decided_by            INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- The member's own IANA time zone (checked by the bot with zoneinfo); NULL: none.
    time_zone             TEXT CHECK (time_zone IS NULL OR (length(time_zone) BETWEEN 3 AND 64
                                      AND time_zone GLOB '[A-Z]*/*' AND time_zone NOT GLOB '*[^A-Za-z0-9_/+-]*')),
    CHECK ((consent_version IS NULL) = (consent_at IS NULL)),
    CHECK (status IN ('prospect', 'rejected', 'left') OR consent_version IS NOT NULL)
);

INSERT INTO members_new (
    id, telegram_user_id, chat_id, full_name, organization_id, job_title, email, phone, language,
    role, status, unreachable_since, consent_version, consent_at, notifications_enabled,
    invitation_id, applied_at, decided_at, decided_by, created_at, updated_at
)
SELECT
    id, telegram_user_id, chat_id, full_name, organization_id, job_title, email, phone, language,
    role, status, unreachable_since, consent_version, consent_at, notifications_enabled,
    invitation_id, applied_at, decided_at, decided_by, created_at, updated_at
FROM members;

DROP TABLE members;
ALTER TABLE members_new RENAME TO members;
PRAGMA legacy_alter_table = OFF;

CREATE INDEX members_status ON members (status, role);
CREATE INDEX members_organization ON members (organization_id);
