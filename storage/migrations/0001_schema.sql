-- CLIA bot schema, version 1: the whole mission's tables.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sortable, readable in sqlite3 and datasette);
-- they are shown to people in America/Mexico_City.

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL COLLATE NOCASE UNIQUE
                CHECK (length(trim(name)) BETWEEN 1 AND 120),
    sector      TEXT NOT NULL
                CHECK (sector IN ('oem', 'tier1', 'supplier', 'academia', 'government', 'other')),
    is_founding INTEGER NOT NULL DEFAULT 0 CHECK (is_founding IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- The four strategic axes; their names are translated through the catalogs by code.
CREATE TABLE axes (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE
             CHECK (code IN ('innovation', 'talent', 'leadership', 'globalization')),
    position INTEGER NOT NULL UNIQUE
);

CREATE TABLE members (
    id                    INTEGER PRIMARY KEY,
    telegram_user_id      INTEGER NOT NULL UNIQUE,
    chat_id               INTEGER,                      -- the private chat with the bot
    full_name             TEXT CHECK (full_name IS NULL OR length(full_name) BETWEEN 1 AND 100),
    organization_id       INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    job_title             TEXT CHECK (job_title IS NULL OR length(job_title) BETWEEN 1 AND 100),
    email                 TEXT CHECK (email IS NULL OR (length(email) <= 254 AND email LIKE '%_@_%._%')),
    phone                 TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 4 AND 32),
    language              TEXT CHECK (language IS NULL OR language IN ('es', 'en')),
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
    CHECK ((consent_version IS NULL) = (consent_at IS NULL)),
    CHECK (status IN ('prospect', 'rejected', 'left') OR consent_version IS NOT NULL)
);
CREATE INDEX members_status ON members (status, role);
CREATE INDEX members_organization ON members (organization_id);

-- Axes a member follows; muted = the member objected to announcements of that axis.
CREATE TABLE member_axes (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    axis_id   INTEGER NOT NULL REFERENCES axes (id),
    muted     INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
    PRIMARY KEY (member_id, axis_id)
) WITHOUT ROWID;
CREATE INDEX member_axes_axis ON member_axes (axis_id, member_id);

-- A coordinator with rows here manages only these axes; with none, all of them.
CREATE TABLE coordinator_axes (
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    axis_id   INTEGER NOT NULL REFERENCES axes (id),
    PRIMARY KEY (member_id, axis_id)
) WITHOUT ROWID;

CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Za-z0-9_-]*' AND length(code) BETWEEN 8 AND 40),
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_by      INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at      TEXT,
    revoked_at      TEXT,
    uses            INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0)
);

CREATE TABLE working_groups (
    id          INTEGER PRIMARY KEY,
    axis_id     INTEGER NOT NULL REFERENCES axes (id),
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    description TEXT CHECK (description IS NULL OR length(description) <= 1000),
    created_by  INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    archived_at TEXT,
    UNIQUE (axis_id, name)
);

CREATE TABLE working_group_members (
    group_id  INTEGER NOT NULL REFERENCES working_groups (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    joined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (group_id, member_id)
) WITHOUT ROWID;
CREATE INDEX working_group_members_member ON working_group_members (member_id);

-- A recurring meeting: the rule creates the series' next occurrences as events.
CREATE TABLE event_series (
    id         INTEGER PRIMARY KEY,
    rule       TEXT NOT NULL CHECK (rule IN ('weekly', 'biweekly', 'monthly_weekday')),
    until      TEXT,
    created_by INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('event', 'meeting')),
    axis_id       INTEGER NOT NULL REFERENCES axes (id),
    group_id      INTEGER REFERENCES working_groups (id) ON DELETE RESTRICT,
    series_id     INTEGER REFERENCES event_series (id) ON DELETE SET NULL,
    title         TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 120),
    description   TEXT CHECK (description IS NULL OR length(description) <= 2000),
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    place         TEXT CHECK (place IS NULL OR length(place) <= 200),
    online_url    TEXT CHECK (online_url IS NULL OR online_url GLOB 'http*://*'),
    capacity      INTEGER CHECK (capacity IS NULL OR capacity > 0),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
    checkin_token TEXT UNIQUE CHECK (checkin_token IS NULL OR checkin_token GLOB '[A-Za-z0-9_-]*'),
    created_by    INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    published_at  TEXT,
    cancelled_at  TEXT,
    CHECK (ends_at > starts_at),
    CHECK ((kind = 'meeting') = (group_id IS NOT NULL))
);
CREATE INDEX events_upcoming ON events (status, starts_at);
CREATE INDEX events_axis ON events (axis_id, starts_at);
CREATE INDEX events_group ON events (group_id) WHERE group_id IS NOT NULL;

-- One answer per member and event; waitlisted = said Going when the event was full.
CREATE TABLE rsvps (
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    answer      TEXT NOT NULL CHECK (answer IN ('going', 'maybe', 'declined', 'waitlisted')),
    answered_at TEXT NOT NULL,
    PRIMARY KEY (event_id, member_id)
) WITHOUT ROWID;
CREATE INDEX rsvps_member ON rsvps (member_id);
CREATE INDEX rsvps_waitlist ON rsvps (event_id, answered_at) WHERE answer = 'waitlisted';

CREATE TABLE attendance (
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    member_id     INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    checked_in_at TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('qr', 'manual')),
    marked_by     INTEGER REFERENCES members (id) ON DELETE SET NULL,
    PRIMARY KEY (event_id, member_id)
) WITHOUT ROWID;

-- The community supergroup's forum topic of each axis (absent: the General topic).
CREATE TABLE community_topics (
    axis_id           INTEGER PRIMARY KEY REFERENCES axes (id),
    chat_id           INTEGER NOT NULL,
    message_thread_id INTEGER NOT NULL,
    bound_by          INTEGER REFERENCES members (id) ON DELETE SET NULL,
    bound_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE surveys (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 120),
    intro           TEXT CHECK (intro IS NULL OR length(intro) <= 2000),
    anonymous       INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    audience        TEXT NOT NULL DEFAULT '{"kind":"everyone"}' CHECK (json_valid(audience)),
    status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    opened_at       TEXT,
    closes_at       TEXT,
    closed_at       TEXT,
    as_poll         INTEGER NOT NULL DEFAULT 0 CHECK (as_poll IN (0, 1)),
    created_by      INTEGER REFERENCES members (id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX surveys_status ON surveys (status, closes_at);

CREATE TABLE survey_questions (
    id                 INTEGER PRIMARY KEY,
    survey_id          INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    position           INTEGER NOT NULL CHECK (position >= 1),
    kind               TEXT NOT NULL
                       CHECK (kind IN ('single', 'multi', 'scale', 'nps', 'yesno', 'number', 'text')),
    text               TEXT NOT NULL CHECK (length(trim(text)) BETWEEN 1 AND 300),
    required           INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    min_value          REAL,
    max_value          REAL,
    max_length         INTEGER CHECK (max_length IS NULL OR max_length BETWEEN 1 AND 4000),
    -- Shown only when the answer to an earlier question has this option code / value.
    show_if_question_id INTEGER REFERENCES survey_questions (id) ON DELETE CASCADE,
    show_if_value      TEXT,
    UNIQUE (survey_id, position),
    CHECK (min_value IS NULL OR max_value IS NULL OR min_value <= max_value),
    CHECK ((show_if_question_id IS NULL) = (show_if_value IS NULL))
);

CREATE TABLE survey_options (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL CHECK (position >= 1),
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    label       TEXT NOT NULL CHECK (length(trim(label)) BETWEEN 1 AND 100),
    UNIQUE (question_id, position),
    UNIQUE (question_id, code)
);

-- Who was invited and who took part: for reminders and one response per member.
-- Kept apart from what was answered, so that anonymous answers link to nobody.
CREATE TABLE survey_participation (
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    invited_at   TEXT,
    started_at   TEXT,
    completed_on TEXT,   -- a date only, never a precise time
    PRIMARY KEY (survey_id, member_id)
) WITHOUT ROWID;
CREATE INDEX survey_participation_open ON survey_participation (survey_id, completed_on);

-- A response; for anonymous surveys member_id is NULL, the id is random (not in
-- insertion order) and only the date is kept.
CREATE TABLE survey_responses (
    id           INTEGER PRIMARY KEY,
    survey_id    INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    member_id    INTEGER REFERENCES members (id) ON DELETE SET NULL,
    complete     INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    submitted_on TEXT,
    UNIQUE (survey_id, member_id)
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, complete);

CREATE TABLE survey_answers (
    response_id  INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
    question_id  INTEGER NOT NULL REFERENCES survey_questions (id) ON DELETE CASCADE,
    option_id    INTEGER REFERENCES survey_options (id) ON DELETE CASCADE,
    value_number REAL,
    value_text   TEXT CHECK (value_text IS NULL OR length(value_text) <= 4000),
    CHECK (option_id IS NOT NULL OR value_number IS NOT NULL OR value_text IS NOT NULL)
);
CREATE UNIQUE INDEX survey_answers_one ON survey_answers (response_id, question_id, coalesce(option_id, 0));
CREATE INDEX survey_answers_question ON survey_answers (question_id, option_id);

-- An anonymous member's answers while they are still answering, so they can stop
-- and resume; moved into an unlinked response and deleted when they finish.
CREATE TABLE survey_drafts (
    survey_id  INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    answers    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(answers)),
    position   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (survey_id, member_id)
) WITHOUT ROWID;

-- A native Telegram poll sent for a one-question survey.
CREATE TABLE survey_polls (
    poll_id     TEXT PRIMARY KEY,
    survey_id   INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    stopped_at  TEXT
);

-- Anything sent to many people: announcements, event notices and reminders,
-- survey invitations and reminders. dedup_key makes a notice exist once.
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN (
                          'announcement', 'event_announcement', 'event_update', 'event_reminder',
                          'survey_invitation', 'survey_reminder')),
    created_by        INTEGER REFERENCES members (id) ON DELETE SET NULL,
    text              TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4096),
    media_kind        TEXT CHECK (media_kind IS NULL OR media_kind IN ('photo', 'document')),
    media_file_id     TEXT,
    audience          TEXT NOT NULL DEFAULT '{"kind":"everyone"}' CHECK (json_valid(audience)),
    event_id          INTEGER REFERENCES events (id) ON DELETE SET NULL,
    survey_id         INTEGER REFERENCES surveys (id) ON DELETE SET NULL,
    dedup_key         TEXT UNIQUE,
    status            TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled')),
    scheduled_for     TEXT,
    report_chat_id    INTEGER,
    report_message_id INTEGER,
    created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    started_at        TEXT,
    finished_at       TEXT,
    CHECK ((media_kind IS NULL) = (media_file_id IS NULL))
);
CREATE INDEX broadcasts_status ON broadcasts (status, scheduled_for);

-- The durable outbox: one row per recipient, written before the first message goes out.
CREATE TABLE deliveries (
    id                  INTEGER PRIMARY KEY,
    broadcast_id        INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    member_id           INTEGER REFERENCES members (id) ON DELETE SET NULL,
    chat_id             INTEGER,
    message_thread_id   INTEGER,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'unreachable', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error          TEXT,
    telegram_message_id INTEGER,
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (broadcast_id, member_id),
    CHECK (status <> 'pending' OR chat_id IS NOT NULL)
);
CREATE INDEX deliveries_pending ON deliveries (id) WHERE status = 'pending';
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, status);

-- Who did what, when, on what. details holds no personal data.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES members (id) ON DELETE SET NULL,
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    target_kind TEXT,
    target_id   INTEGER,
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX audit_log_at ON audit_log (at);

-- python-telegram-bot persistence: conversation states and callback/user data (JSON).
CREATE TABLE conversation_states (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL CHECK (json_valid(key)),
    state TEXT NOT NULL CHECK (json_valid(state)),
    PRIMARY KEY (name, key)
) WITHOUT ROWID;

CREATE TABLE persistence_data (
    kind TEXT NOT NULL CHECK (kind IN ('user', 'chat', 'bot', 'callback')),
    key  INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
