-- Unexpected errors, for the admins' alerts (at most one per kind per hour) and /status.
-- No personal data: `kind` is the exception's type and the code that raised it
-- ("KeyError in handlers.events.cards.rsvp"), `source` what the bot was doing
-- ("command /results", "button ev", "job event-reminders", "backup"), never a message's text.
CREATE TABLE error_reports (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 200),
    source  TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    alerted INTEGER NOT NULL DEFAULT 0 CHECK (alerted IN (0, 1))
);
CREATE INDEX error_reports_kind ON error_reports (kind, at);
CREATE INDEX error_reports_at ON error_reports (at);
