-- Supplier development: capability profiles of member organizations, sourcing requests from
-- buyers, the organizations each request reached, their answers and the introductions made.
-- Catalogue names are English here (for analysts); people read them translated by code.

-- The fixed catalogues. A new process or certification is a new row in a later migration (and
-- its name in handlers/suppliers/catalogue.py, translated in the catalogs).
CREATE TABLE supplier_processes (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z]*' AND length(code) BETWEEN 2 AND 24),
    name     TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    position INTEGER NOT NULL UNIQUE
);
INSERT INTO supplier_processes (code, name, position) VALUES
    ('stamping', 'Stamping', 1),
    ('machining', 'Machining', 2),
    ('injection', 'Plastic injection', 3),
    ('diecasting', 'Die casting', 4),
    ('welding', 'Welding', 5),
    ('painting', 'Painting and coating', 6),
    ('assembly', 'Assembly', 7),
    ('electronics', 'Electronics / PCB assembly', 8),
    ('harnesses', 'Wiring harnesses', 9),
    ('textiles', 'Textiles and upholstery', 10),
    ('packaging', 'Packaging', 11),
    ('logistics', 'Logistics and cold chain', 12),
    ('tooling', 'Tooling and dies', 13),
    ('metrology', 'Metrology and testing', 14),
    ('automation', 'Automation and controls', 15),
    ('maintenance', 'Maintenance services', 16),
    ('software', 'IT and software', 17),
    ('training', 'Training', 18);

CREATE TABLE supplier_certifications (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z0-9]*' AND length(code) BETWEEN 2 AND 24),
    name     TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
    position INTEGER NOT NULL UNIQUE
);
INSERT INTO supplier_certifications (code, name, position) VALUES
    ('iso9001', 'ISO 9001', 1),
    ('iatf16949', 'IATF 16949', 2),
    ('iso14001', 'ISO 14001', 3),
    ('iso45001', 'ISO 45001', 4),
    ('iso17025', 'ISO/IEC 17025', 5),
    ('industrialimpia', 'Industria Limpia', 6),
    ('repse', 'REPSE', 7),
    ('other', 'Other', 8);

-- One capability profile per organization, kept by its members. changed_fields lists what
-- changed since the organization's other members were last told (empty: nothing to tell).
CREATE TABLE capability_profiles (
    organization_id  INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    description      TEXT CHECK (description IS NULL OR length(description) BETWEEN 1 AND 1000),
    monthly_capacity TEXT CHECK (monthly_capacity IS NULL OR length(monthly_capacity) BETWEEN 1 AND 200),
    city             TEXT CHECK (city IS NULL OR length(city) BETWEEN 1 AND 80),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER REFERENCES members (id) ON DELETE SET NULL,
    changed_fields   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(changed_fields))
);
CREATE INDEX capability_profiles_changed ON capability_profiles (updated_at)
    WHERE changed_fields <> '[]';

CREATE TABLE capability_processes (
    organization_id INTEGER NOT NULL REFERENCES capability_profiles (organization_id) ON DELETE CASCADE,
    process_id      INTEGER NOT NULL REFERENCES supplier_processes (id),
    PRIMARY KEY (organization_id, process_id)
) WITHOUT ROWID;
CREATE INDEX capability_processes_process ON capability_processes (process_id, organization_id);

CREATE TABLE capability_certifications (
    organization_id  INTEGER NOT NULL REFERENCES capability_profiles (organization_id) ON DELETE CASCADE,
    certification_id INTEGER NOT NULL REFERENCES supplier_certifications (id),
    PRIMARY KEY (organization_id, certification_id)
) WITHOUT ROWID;

-- When supplier organizations without a profile were last invited to create one (at most
-- one invitation per organization every 30 days).
CREATE TABLE capability_invitations (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    invited_at      TEXT NOT NULL
);

-- Members who muted sourcing requests in /notifications.
CREATE TABLE sourcing_mutes (
    member_id INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    muted_at  TEXT NOT NULL
);

-- A buyer's need. pending → open (approved and sent) → closed (deadline, the buyer, or the
-- buyer's data deleted); pending → rejected (with a reason) or expired (the deadline passed
-- before a decision) or closed ('withdrawn' by the buyer). The texts are NULL once the buyer
-- deleted their data; the figures stay.
CREATE TABLE sourcing_requests (
    id                   INTEGER PRIMARY KEY,
    buyer_id             INTEGER REFERENCES members (id) ON DELETE SET NULL,
    organization_id      INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    title                TEXT CHECK (title IS NULL OR length(trim(title)) BETWEEN 1 AND 120),
    description          TEXT CHECK (description IS NULL OR length(description) BETWEEN 1 AND 2000),
    volume               TEXT CHECK (volume IS NULL OR length(volume) BETWEEN 1 AND 200),
    deadline_at          TEXT NOT NULL,
    anonymous            INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
    revealed_at          TEXT,
    status               TEXT NOT NULL DEFAULT 'pending'
                         CHECK (status IN ('pending', 'open', 'rejected', 'expired', 'closed')),
    requested_at         TEXT NOT NULL,
    decided_at           TEXT,
    decided_by           INTEGER REFERENCES members (id) ON DELETE SET NULL,
    rejection_reason     TEXT CHECK (rejection_reason IS NULL OR length(rejection_reason) BETWEEN 1 AND 500),
    announced_at         TEXT,   -- the notices to the matching suppliers were queued
    closed_at            TEXT,
    closed_reason        TEXT CHECK (closed_reason IS NULL
                                     OR closed_reason IN ('deadline', 'buyer', 'withdrawn')),
    shortlist_chat_id    INTEGER,  -- the buyer's shortlist message, edited as interest arrives
    shortlist_message_id INTEGER,
    CHECK ((status = 'closed') = (closed_reason IS NOT NULL))
);
CREATE INDEX sourcing_requests_status ON sourcing_requests (status, deadline_at);
CREATE INDEX sourcing_requests_buyer ON sourcing_requests (buyer_id);

CREATE TABLE sourcing_request_processes (
    request_id INTEGER NOT NULL REFERENCES sourcing_requests (id) ON DELETE CASCADE,
    process_id INTEGER NOT NULL REFERENCES supplier_processes (id),
    PRIMARY KEY (request_id, process_id)
) WITHOUT ROWID;

CREATE TABLE sourcing_request_certifications (
    request_id       INTEGER NOT NULL REFERENCES sourcing_requests (id) ON DELETE CASCADE,
    certification_id INTEGER NOT NULL REFERENCES supplier_certifications (id),
    PRIMARY KEY (request_id, certification_id)
) WITHOUT ROWID;

-- Where each request was shown to the coordinators and admins who may decide on it, so that
-- the other copies lose their buttons once one decides (message ids only).
CREATE TABLE sourcing_request_notices (
    request_id INTEGER NOT NULL REFERENCES sourcing_requests (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (request_id, chat_id, message_id)
) WITHOUT ROWID;

-- The organizations a request reached: sent to their members when it was approved
-- ('notice'), or found later in /sourcing by a member of an organization that matches now
-- ('list'). An organization sees only the requests it reached or matches while they are open.
CREATE TABLE sourcing_reached (
    request_id      INTEGER NOT NULL REFERENCES sourcing_requests (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    reached_at      TEXT NOT NULL,
    via             TEXT NOT NULL CHECK (via IN ('notice', 'list')),
    PRIMARY KEY (request_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX sourcing_reached_organization ON sourcing_reached (organization_id, request_id);

-- One answer per organization and request. consent_at: the answering member agreed to share
-- the organization's name, their name and their e-mail with the buyer. connect_asked_at: the
-- buyer tapped Connect before that consent, so the member was asked. introduced_at: both sides
-- got each other's contact.
CREATE TABLE sourcing_answers (
    id                  INTEGER PRIMARY KEY,
    request_id          INTEGER NOT NULL REFERENCES sourcing_requests (id) ON DELETE CASCADE,
    organization_id     INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    member_id           INTEGER REFERENCES members (id) ON DELETE SET NULL,
    answer              TEXT NOT NULL CHECK (answer IN ('interested', 'declined')),
    note                TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
    consent_at          TEXT,
    consent_declined_at TEXT,
    connect_asked_at    TEXT,
    introduced_at       TEXT,
    answered_at         TEXT NOT NULL,
    UNIQUE (request_id, organization_id)
);
CREATE INDEX sourcing_answers_member ON sourcing_answers (member_id);

-- The outbox learns three kinds of notice: a request sent to matching suppliers, the
-- invitation to create a capability profile, and a profile's change told to its colleagues.
-- SQLite cannot change a CHECK in place: broadcasts is rebuilt. Its child, deliveries, is set
-- aside first (dropping a parent table with foreign keys on deletes its children's rows),
-- then both come back with the same columns, constraints and indexes.
DROP VIEW v_broadcast_figures;
CREATE TEMP TABLE kept_broadcasts AS SELECT * FROM broadcasts;
CREATE TEMP TABLE kept_deliveries AS SELECT * FROM deliveries;
DROP TABLE deliveries;
DROP TABLE broadcasts;

CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN (
                          'announcement', 'event_announcement', 'event_update', 'event_reminder',
                          'survey_invitation', 'survey_reminder', 'sourcing_request',
                          'sourcing_invitation', 'capability_update')),
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
INSERT INTO broadcasts SELECT * FROM temp.kept_broadcasts;
CREATE INDEX broadcasts_status ON broadcasts (status, scheduled_for);
CREATE INDEX broadcasts_report ON broadcasts (status) WHERE status = 'sending';

CREATE TABLE deliveries (
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
-- SELECT *: a column added to deliveries elsewhere makes this fail loudly, not vanish.
INSERT INTO deliveries SELECT * FROM temp.kept_deliveries;
CREATE INDEX deliveries_pending ON deliveries (id) WHERE status = 'pending';
CREATE INDEX deliveries_broadcast ON deliveries (broadcast_id, status);
DROP TABLE temp.kept_deliveries;
DROP TABLE temp.kept_broadcasts;

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

-- Views for analysts: the supply-development figures. No names of people, e-mails or notes.

-- One row per capability profile.
CREATE VIEW v_capability_profiles AS
SELECT o.id AS organization_id, o.name AS organization, o.sector, p.city,
       (SELECT group_concat(name, '; ') FROM (
            SELECT sp.name FROM capability_processes cp
            JOIN supplier_processes sp ON sp.id = cp.process_id
            WHERE cp.organization_id = p.organization_id ORDER BY sp.position)) AS processes,
       (SELECT group_concat(name, '; ') FROM (
            SELECT sc.name FROM capability_certifications cc
            JOIN supplier_certifications sc ON sc.id = cc.certification_id
            WHERE cc.organization_id = p.organization_id ORDER BY sc.position)) AS certifications,
       p.created_at, p.updated_at
FROM capability_profiles AS p
JOIN organizations AS o ON o.id = p.organization_id;

-- One row per sourcing request: each step of it, and how far it went.
CREATE VIEW v_sourcing_requests AS
SELECT r.id AS request_id, r.title, o.name AS buyer_organization, o.sector AS buyer_sector,
       r.anonymous, r.revealed_at IS NOT NULL AS revealed, r.status, r.closed_reason,
       r.requested_at, r.decided_at, r.deadline_at, r.closed_at,
       r.status IN ('open', 'closed') AND r.decided_at IS NOT NULL AS approved,
       (SELECT group_concat(name, '; ') FROM (
            SELECT sp.name FROM sourcing_request_processes rp
            JOIN supplier_processes sp ON sp.id = rp.process_id
            WHERE rp.request_id = r.id ORDER BY sp.position)) AS processes,
       (SELECT group_concat(name, '; ') FROM (
            SELECT sc.name FROM sourcing_request_certifications rc
            JOIN supplier_certifications sc ON sc.id = rc.certification_id
            WHERE rc.request_id = r.id ORDER BY sc.position)) AS certifications,
       (SELECT count(*) FROM sourcing_reached x
        WHERE x.request_id = r.id AND x.via = 'notice') AS organizations_sent,
       (SELECT count(*) FROM sourcing_reached x WHERE x.request_id = r.id) AS organizations_reached,
       (SELECT count(*) FROM sourcing_answers a
        WHERE a.request_id = r.id AND a.answer = 'interested') AS interested,
       (SELECT count(*) FROM sourcing_answers a
        WHERE a.request_id = r.id AND a.answer = 'declined') AS declined,
       (SELECT count(*) FROM sourcing_answers a
        WHERE a.request_id = r.id AND a.introduced_at IS NOT NULL) AS introductions
FROM sourcing_requests AS r
LEFT JOIN organizations AS o ON o.id = r.organization_id;

-- One row per organization's answer to a request.
CREATE VIEW v_sourcing_answers AS
SELECT a.request_id, a.organization_id, o.name AS organization, o.sector, a.answer,
       a.answered_at, a.consent_at IS NOT NULL AS consented, a.introduced_at
FROM sourcing_answers AS a
JOIN organizations AS o ON o.id = a.organization_id;

-- The cluster's supply-development figures per month (UTC) in which requests were made.
CREATE VIEW v_sourcing_figures AS
SELECT strftime('%Y-%m', requested_at) AS month,
       count(*) AS requested,
       sum(approved) AS approved,
       sum(status = 'rejected') AS rejected,
       sum(organizations_reached) AS organizations_reached,
       sum(interested) AS interested,
       sum(introductions) AS introductions,
       count(DISTINCT buyer_organization) AS buyer_organizations
FROM v_sourcing_requests
GROUP BY month;
