-- A delivery whose notice no longer applies (a reminder of an event cancelled meanwhile,
-- an invitation to a survey that closed) is recorded as 'skipped', not sent, not failed.
DROP VIEW v_broadcast_figures;

CREATE TABLE deliveries_new (
    id                  INTEGER PRIMARY KEY,
    broadcast_id        INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    member_id           INTEGER REFERENCES members (id) ON DELETE SET NULL,
    chat_id             INTEGER,
    message_thread_id   INTEGER,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'unreachable', 'failed', 'skipped')),
    attempts            INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error          TEXT,
    telegram_message_id INTEGER,
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (broadcast_id, member_id),
    CHECK (status <> 'pending' OR chat_id IS NOT NULL)
);
INSERT INTO deliveries_new SELECT * FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_pending ON deliveries (id) WHERE status = 'pending';
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, status);
CREATE INDEX broadcasts_report ON broadcasts (status) WHERE status = 'sending';

CREATE VIEW v_broadcast_figures AS
SELECT b.id AS broadcast_id, b.kind, b.status, b.created_at, b.scheduled_for, b.finished_at,
       count(d.id) AS recipients,
       count(d.id) FILTER (WHERE d.status = 'sent') AS sent,
       count(d.id) FILTER (WHERE d.status = 'pending') AS pending,
       count(d.id) FILTER (WHERE d.status = 'unreachable') AS unreachable,
       count(d.id) FILTER (WHERE d.status = 'failed') AS failed,
       count(d.id) FILTER (WHERE d.status = 'skipped') AS skipped
FROM broadcasts AS b
LEFT JOIN deliveries AS d ON d.broadcast_id = b.id
GROUP BY b.id;
