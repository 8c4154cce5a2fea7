-- Impact: the cluster's engagement per period and strategic axis (README: "Impact indicators").
-- Every figure that /impact, the dashboard and the monthly report show is a row of the v_impact_*
-- views below, so sqlite3, datasette or a spreadsheet gets the same numbers as the bot.
--
-- Conventions of every v_impact_* view keyed by period:
--   period_id, period_kind ('month', 'quarter', 'year'), period ('2026-10', '2026-Q4', '2026');
--   scope: 'cluster' (everything) or an axis code ('innovation', 'talent', 'leadership',
--   'globalization'): members who follow that axis, and activities of that axis;
--   a percentage is NULL when its denominator is 0 (nothing to measure).
-- "Held" means published (not cancelled) and started by now; "active at the end of a period"
-- means approved before its end and not left by then.

-- When a member left the cluster (status 'left'); kept by the trigger below unless set by hand.
ALTER TABLE members ADD COLUMN left_at TEXT;
CREATE TRIGGER members_left_at AFTER UPDATE OF status ON members
WHEN NEW.status = 'left' AND OLD.status <> 'left' AND NEW.left_at IS NULL
BEGIN
    UPDATE members SET left_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.id;
END;

-- Who took part in what, looked up per member: these two tables had no index by member.
CREATE INDEX attendance_member ON attendance (member_id);
CREATE INDEX survey_participation_member ON survey_participation (member_id, completed_on);

-- The calendar: months, quarters and years as local midnight-to-midnight spans in UTC (the bot
-- writes them with TIMEZONE, e.g. October 2026 in Aguascalientes = 06:00Z on 1 Oct to 06:00Z
-- on 1 Nov). The end is excluded.
CREATE TABLE impact_periods (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('month', 'quarter', 'year')),
    label     TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    UNIQUE (kind, label),
    CHECK (ends_at > starts_at)
);

-- One-time links of /dashboard and the sessions they open. Only SHA-256 hashes of the tokens
-- are stored; the role and axes are those at issue time (checked again on every request).
CREATE TABLE dashboard_links (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'admin')),
    axes       TEXT NOT NULL DEFAULT '',          -- axis ids, comma-separated; empty = all
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) WITHOUT ROWID;

CREATE TABLE dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('coordinator', 'admin')),
    axes       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX dashboard_links_member ON dashboard_links (member_id);
CREATE INDEX dashboard_sessions_member ON dashboard_sessions (member_id);

-- The monthly report: one row per month and recipient, written before it is sent, so a report
-- goes once across restarts and a missed month goes at the next start.
CREATE TABLE impact_reports (
    month               TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    member_id           INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'unreachable', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    claimed_at          TEXT,  -- when a run took it to send ('sending'); stale after a crash
    last_error          TEXT,
    telegram_message_id INTEGER,
    queued_at           TEXT NOT NULL,
    sent_at             TEXT,
    PRIMARY KEY (month, member_id)
) WITHOUT ROWID;
CREATE INDEX impact_reports_pending ON impact_reports (status)
    WHERE status IN ('pending', 'sending');

-- The scopes figures are given for: the whole cluster and each axis.
CREATE VIEW v_impact_scopes AS
SELECT 'cluster' AS scope, NULL AS axis_id, 0 AS position
UNION ALL
SELECT code, id, position FROM axes;

-- A member's span in the cluster: joined when approved (decided_at; applied_at or created_at for
-- rows without it), left when their status became 'left'. Applicants and rejected people are
-- not members; people who deleted their data (/forget) are gone from every figure.
CREATE VIEW v_impact_member_spans AS
SELECT m.id AS member_id, m.organization_id, coalesce(o.sector, 'other') AS sector,
       coalesce(m.decided_at, m.applied_at, m.created_at) AS joined_at,
       CASE WHEN m.status = 'left' THEN coalesce(m.left_at, m.updated_at) END AS left_at,
       m.unreachable_since
FROM members AS m
LEFT JOIN organizations AS o ON o.id = m.organization_id
WHERE m.status IN ('active', 'left');

-- Which scopes a member counts in: the cluster, and each axis they follow.
CREATE VIEW v_impact_member_scopes AS
SELECT id AS member_id, 'cluster' AS scope, NULL AS axis_id
FROM members WHERE status IN ('active', 'left')
UNION ALL
SELECT ma.member_id, a.code, a.id FROM member_axes AS ma JOIN axes AS a ON a.id = ma.axis_id;

-- The axes a survey belongs to, from its audience: axes named, the axis of a working group or of
-- an event addressed. Every survey also counts for the cluster.
CREATE VIEW v_impact_survey_scopes AS
SELECT id AS survey_id, 'cluster' AS scope FROM surveys
UNION ALL
SELECT * FROM (
    SELECT s.id, a.code FROM surveys AS s, json_each(s.audience, '$.ids') AS j
    JOIN axes AS a ON a.id = j.value
    WHERE json_extract(s.audience, '$.kind') = 'axes'
    UNION
    SELECT s.id, a.code FROM surveys AS s, json_each(s.audience, '$.ids') AS j
    JOIN working_groups AS g ON g.id = j.value JOIN axes AS a ON a.id = g.axis_id
    WHERE json_extract(s.audience, '$.kind') = 'working_group'
    UNION
    SELECT s.id, a.code FROM surveys AS s, json_each(s.audience, '$.ids') AS j
    JOIN events AS e ON e.id = j.value JOIN axes AS a ON a.id = e.axis_id
    WHERE json_extract(s.audience, '$.kind') = 'event'
);

-- The axes a broadcast (announcement, event notice, survey invitation…) belongs to: its event's,
-- its survey's, or its audience's. Every broadcast also counts for the cluster.
CREATE VIEW v_impact_broadcast_scopes AS
SELECT id AS broadcast_id, 'cluster' AS scope FROM broadcasts
UNION ALL
SELECT * FROM (
    SELECT b.id, a.code FROM broadcasts AS b JOIN events AS e ON e.id = b.event_id
    JOIN axes AS a ON a.id = e.axis_id
    UNION
    SELECT b.id, ss.scope FROM broadcasts AS b
    JOIN v_impact_survey_scopes AS ss ON ss.survey_id = b.survey_id AND ss.scope <> 'cluster'
    UNION
    SELECT b.id, a.code FROM broadcasts AS b, json_each(b.audience, '$.ids') AS j
    JOIN axes AS a ON a.id = j.value
    WHERE json_extract(b.audience, '$.kind') = 'axes'
    UNION
    SELECT b.id, a.code FROM broadcasts AS b, json_each(b.audience, '$.ids') AS j
    JOIN working_groups AS g ON g.id = j.value JOIN axes AS a ON a.id = g.axis_id
    WHERE json_extract(b.audience, '$.kind') = 'working_group'
    UNION
    SELECT b.id, a.code FROM broadcasts AS b, json_each(b.audience, '$.ids') AS j
    JOIN events AS e ON e.id = j.value JOIN axes AS a ON a.id = e.axis_id
    WHERE json_extract(b.audience, '$.kind') = 'event'
);

-- Taking part: one row per member, scope and thing they took part in, at the moment it
-- happened: checked in at an event or meeting (its start), completed a survey (noon UTC of the
-- day: only the date is kept), joined a working group. Answering Going alone is not taking part.
CREATE VIEW v_impact_activity AS
SELECT t.member_id, s.scope, 'attended' AS kind, t.event_id AS ref_id, e.starts_at AS at
FROM attendance AS t
JOIN events AS e ON e.id = t.event_id
JOIN v_impact_scopes AS s ON s.axis_id IS NULL OR s.axis_id = e.axis_id
WHERE e.status = 'published'
UNION ALL
SELECT p.member_id, ss.scope, 'survey', p.survey_id, p.completed_on || 'T12:00:00Z'
FROM survey_participation AS p
JOIN v_impact_survey_scopes AS ss ON ss.survey_id = p.survey_id
WHERE p.completed_on IS NOT NULL
UNION ALL
SELECT wm.member_id, s.scope, 'group', wm.group_id, wm.joined_at
FROM working_group_members AS wm
JOIN working_groups AS g ON g.id = wm.group_id
JOIN v_impact_scopes AS s ON s.axis_id IS NULL OR s.axis_id = g.axis_id;

-- Members: active at the end of the period, joined and left in it, unreachable (blocked the
-- bot) at its end and newly in it; member organizations, and the share of them that are
-- suppliers (sector 'supplier': the small and medium suppliers of the cluster's second stage).
CREATE VIEW v_impact_members AS
SELECT *, round(100.0 * supplier_organizations / nullif(organizations, 0), 1) AS supplier_pct
FROM (
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, ms.scope,
       count(*) FILTER (WHERE sp.joined_at < p.ends_at
                        AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)) AS active,
       count(*) FILTER (WHERE sp.joined_at >= p.starts_at AND sp.joined_at < p.ends_at) AS joined,
       count(*) FILTER (WHERE sp.left_at >= p.starts_at AND sp.left_at < p.ends_at) AS "left",
       count(*) FILTER (WHERE sp.joined_at < p.ends_at
                        AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)
                        AND sp.unreachable_since < p.ends_at) AS unreachable,
       count(*) FILTER (WHERE sp.unreachable_since >= p.starts_at
                        AND sp.unreachable_since < p.ends_at) AS became_unreachable,
       count(DISTINCT sp.organization_id) FILTER (WHERE sp.joined_at < p.ends_at
                        AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)) AS organizations,
       count(DISTINCT sp.organization_id) FILTER (WHERE sp.joined_at < p.ends_at
                        AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)
                        AND sp.sector = 'supplier') AS supplier_organizations
FROM impact_periods AS p
CROSS JOIN v_impact_member_scopes AS ms
JOIN v_impact_member_spans AS sp ON sp.member_id = ms.member_id
GROUP BY p.id, ms.scope
);

-- Composition at the end of the period by sector (triple helix: industry = oem, tier1,
-- supplier; academia; government; other).
CREATE VIEW v_impact_composition AS
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, ms.scope, sp.sector,
       CASE WHEN sp.sector IN ('oem', 'tier1', 'supplier') THEN 'industry'
            WHEN sp.sector IN ('academia', 'government') THEN sp.sector
            ELSE 'other' END AS helix,
       count(*) AS members, count(DISTINCT sp.organization_id) AS organizations
FROM impact_periods AS p
CROSS JOIN v_impact_member_scopes AS ms
JOIN v_impact_member_spans AS sp ON sp.member_id = ms.member_id
WHERE sp.joined_at < p.ends_at AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)
GROUP BY p.id, ms.scope, sp.sector;

-- For each period, scope and member active at its end: when they last took part (as in
-- v_impact_activity, in that scope) before the period's end, and where the 90 days before its
-- end (before now, for the period under way) begin. The same rows as a search of
-- v_impact_activity per member, spelled out per kind so that each is one index lookup (CROSS JOIN keeps that order).
CREATE VIEW v_impact_member_last_activity AS
SELECT period_id, period_kind, period, scope, member_id, organization_id, sector,
       starts_at, window_start,
       nullif(max(coalesce(attended, ''), coalesce(answered, ''), coalesce(joined_group, '')), '')
           AS last_at
FROM (
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, ms.scope, sp.member_id,
       sp.organization_id, sp.sector, p.starts_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', min(p.ends_at, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
                '-90 days') AS window_start,
       (SELECT max(e.starts_at) FROM attendance AS t CROSS JOIN events AS e ON e.id = t.event_id
        WHERE t.member_id = sp.member_id AND e.status = 'published' AND e.starts_at < p.ends_at
          AND (ms.axis_id IS NULL OR e.axis_id = ms.axis_id)) AS attended,
       (SELECT max(x.completed_on) || 'T12:00:00Z' FROM survey_participation AS x
        CROSS JOIN v_impact_survey_scopes AS ss ON ss.survey_id = x.survey_id AND ss.scope = ms.scope
        WHERE x.member_id = sp.member_id AND x.completed_on IS NOT NULL
          AND x.completed_on || 'T12:00:00Z' < p.ends_at) AS answered,
       (SELECT max(wm.joined_at) FROM working_group_members AS wm
        CROSS JOIN working_groups AS g ON g.id = wm.group_id
        WHERE wm.member_id = sp.member_id AND wm.joined_at < p.ends_at
          AND (ms.axis_id IS NULL OR g.axis_id = ms.axis_id)) AS joined_group
FROM impact_periods AS p
CROSS JOIN v_impact_member_scopes AS ms
JOIN v_impact_member_spans AS sp ON sp.member_id = ms.member_id
WHERE sp.joined_at < p.ends_at AND (sp.left_at IS NULL OR sp.left_at >= p.ends_at)
);

-- Each member organization (at least one active member at the end of the period, in the scope):
-- its members then, and how many of them took part in the period.
CREATE VIEW v_impact_organizations AS
SELECT la.period_id, la.period_kind, la.period, la.scope, la.organization_id,
       o.name AS organization, o.sector,
       count(*) AS members,
       count(*) FILTER (WHERE la.last_at >= la.starts_at) AS participants
FROM v_impact_member_last_activity AS la
JOIN organizations AS o ON o.id = la.organization_id
GROUP BY la.period_id, la.scope, la.organization_id;

-- Organizations engaged: member organizations with at least one person who took part in the
-- period (attended, answered a survey, joined a working group) ÷ all member organizations.
CREATE VIEW v_impact_engagement AS
SELECT period_id, period_kind, period, scope,
       count(DISTINCT organization_id) AS member_organizations,
       count(DISTINCT organization_id) FILTER (WHERE last_at >= starts_at)
           AS engaged_organizations,
       round(100.0 * count(DISTINCT organization_id) FILTER (WHERE last_at >= starts_at)
             / count(DISTINCT organization_id), 1) AS engaged_pct
FROM v_impact_member_last_activity
WHERE organization_id IS NOT NULL
GROUP BY period_id, scope;

-- Participation rate: members active at the end of the period who took part in anything in the
-- 90 days before its end (before now, for the period under way) ÷ those members; and how many
-- took part within the period itself.
CREATE VIEW v_impact_participation AS
SELECT *, round(100.0 * took_part_90d / active, 1) AS participation_pct
FROM (
SELECT period_id, period_kind, period, scope,
       count(*) AS active,
       count(*) FILTER (WHERE last_at >= window_start) AS took_part_90d,
       count(*) FILTER (WHERE last_at >= starts_at) AS took_part
FROM v_impact_member_last_activity
GROUP BY period_id, scope
);

-- One row per event or working-group meeting: answers, check-ins, no-shows (said Going, did not
-- check in) and attendance conversion (of those who said Going, the share who checked in).
-- Waitlisted people had no seat and count in none of these.
CREATE VIEW v_impact_events AS
SELECT e.id AS event_id, e.kind, a.code AS axis, e.group_id, wg.name AS working_group, e.title,
       e.starts_at, e.status,
       e.status = 'published' AND e.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS held,
       (SELECT count(*) FROM rsvps AS r WHERE r.event_id = e.id AND r.answer = 'going') AS going,
       (SELECT count(*) FROM rsvps AS r WHERE r.event_id = e.id AND r.answer = 'maybe') AS maybe,
       (SELECT count(*) FROM rsvps AS r
        WHERE r.event_id = e.id AND r.answer = 'declined') AS declined,
       (SELECT count(*) FROM attendance AS t WHERE t.event_id = e.id) AS checked_in,
       (SELECT count(*) FROM rsvps AS r JOIN attendance AS t
            ON t.event_id = r.event_id AND t.member_id = r.member_id
        WHERE r.event_id = e.id AND r.answer = 'going') AS going_checked_in,
       (SELECT count(*) FROM rsvps AS r
        WHERE r.event_id = e.id AND r.answer = 'going' AND NOT EXISTS (
            SELECT 1 FROM attendance AS t
            WHERE t.event_id = r.event_id AND t.member_id = r.member_id)) AS no_shows,
       (SELECT round(100.0 * count(t.member_id) / nullif(count(*), 0), 1)
        FROM rsvps AS r LEFT JOIN attendance AS t
            ON t.event_id = r.event_id AND t.member_id = r.member_id
        WHERE r.event_id = e.id AND r.answer = 'going') AS conversion_pct
FROM events AS e
JOIN axes AS a ON a.id = e.axis_id
LEFT JOIN working_groups AS wg ON wg.id = e.group_id;

-- Activities held in the period: events and working-group meetings, their answers, check-ins,
-- no-shows, conversion (as in v_impact_events, over all of them) and unique participants
-- (people checked in at least once).
CREATE VIEW v_impact_activities AS
SELECT *, going - going_checked_in AS no_shows,
       round(100.0 * going_checked_in / nullif(going, 0), 1) AS conversion_pct
FROM (
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, s.scope,
       (SELECT count(*) FROM events AS x WHERE x.kind = 'event' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS events,
       (SELECT count(*) FROM events AS x WHERE x.kind = 'meeting' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS meetings,
       (SELECT count(*) FROM events AS x CROSS JOIN rsvps AS r ON r.event_id = x.id
        WHERE r.answer = 'going' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS going,
       (SELECT count(*) FROM events AS x CROSS JOIN rsvps AS r ON r.event_id = x.id
        WHERE r.answer = 'maybe' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS maybe,
       (SELECT count(*) FROM events AS x CROSS JOIN rsvps AS r ON r.event_id = x.id
        WHERE r.answer = 'declined' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS declined,
       (SELECT count(*) FROM events AS x CROSS JOIN attendance AS t ON t.event_id = x.id
        WHERE x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS checked_in,
       (SELECT count(*) FROM events AS x CROSS JOIN rsvps AS r ON r.event_id = x.id
        JOIN attendance AS t ON t.event_id = r.event_id AND t.member_id = r.member_id
        WHERE r.answer = 'going' AND x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS going_checked_in,
       (SELECT count(DISTINCT t.member_id) FROM events AS x
        CROSS JOIN attendance AS t ON t.event_id = x.id
        WHERE x.status = 'published' AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS participants
FROM impact_periods AS p
CROSS JOIN v_impact_scopes AS s
);

-- Working groups: groups existing at the end of the period (created before it, not archived by
-- then), their members then (people, once however many groups), meetings held in the period and
-- their average check-ins.
CREATE VIEW v_impact_groups AS
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, s.scope,
       (SELECT count(*) FROM working_groups AS g
        WHERE g.created_at < p.ends_at AND (g.archived_at IS NULL OR g.archived_at >= p.ends_at)
          AND (s.axis_id IS NULL OR g.axis_id = s.axis_id)) AS groups,
       (SELECT count(DISTINCT wm.member_id) FROM working_group_members AS wm
        JOIN working_groups AS g ON g.id = wm.group_id
        WHERE wm.joined_at < p.ends_at AND g.created_at < p.ends_at
          AND (g.archived_at IS NULL OR g.archived_at >= p.ends_at)
          AND (s.axis_id IS NULL OR g.axis_id = s.axis_id)) AS group_members,
       (SELECT count(*) FROM events AS x
        WHERE x.kind = 'meeting' AND x.status = 'published'
          AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS meetings,
       (SELECT round(1.0 * count(t.member_id) / nullif(count(DISTINCT x.id), 0), 1)
        FROM events AS x LEFT JOIN attendance AS t ON t.event_id = x.id
        WHERE x.kind = 'meeting' AND x.status = 'published'
          AND x.starts_at >= p.starts_at AND x.starts_at < p.ends_at
          AND x.starts_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          AND (s.axis_id IS NULL OR x.axis_id = s.axis_id)) AS average_attendance
FROM impact_periods AS p
CROSS JOIN v_impact_scopes AS s;

-- One row per launched survey: response rate (complete ÷ invited, as /results) and, when it has
-- a recommendation (0–10) question, the NPS of its complete responses: % promoters (9–10) minus
-- % detractors (0–6).
CREATE VIEW v_impact_surveys AS
SELECT s.id AS survey_id, s.title, s.status, s.anonymous, s.opened_at, s.closes_at,
       (SELECT count(p.invited_at) FROM survey_participation AS p
        WHERE p.survey_id = s.id) AS invited,
       (SELECT count(p.completed_on) FROM survey_participation AS p
        WHERE p.survey_id = s.id) AS completed,
       (SELECT round(100.0 * count(p.completed_on) / nullif(count(p.invited_at), 0), 1)
        FROM survey_participation AS p WHERE p.survey_id = s.id) AS response_pct,
       EXISTS (SELECT 1 FROM survey_questions AS q
               WHERE q.survey_id = s.id AND q.kind = 'nps') AS has_nps,
       (SELECT count(*) FROM survey_questions AS q
        JOIN survey_answers AS x ON x.question_id = q.id
        JOIN survey_responses AS r ON r.id = x.response_id AND r.complete = 1
        WHERE q.survey_id = s.id AND q.kind = 'nps') AS nps_answers,
       (SELECT count(*) FROM survey_questions AS q
        JOIN survey_answers AS x ON x.question_id = q.id
        JOIN survey_responses AS r ON r.id = x.response_id AND r.complete = 1
        WHERE q.survey_id = s.id AND q.kind = 'nps' AND x.value_number >= 9) AS promoters,
       (SELECT count(*) FROM survey_questions AS q
        JOIN survey_answers AS x ON x.question_id = q.id
        JOIN survey_responses AS r ON r.id = x.response_id AND r.complete = 1
        WHERE q.survey_id = s.id AND q.kind = 'nps' AND x.value_number <= 6) AS detractors,
       (SELECT round(100.0 * (count(*) FILTER (WHERE x.value_number >= 9)
                              - count(*) FILTER (WHERE x.value_number <= 6))
                     / nullif(count(*), 0), 1)
        FROM survey_questions AS q
        JOIN survey_answers AS x ON x.question_id = q.id
        JOIN survey_responses AS r ON r.id = x.response_id AND r.complete = 1
        WHERE q.survey_id = s.id AND q.kind = 'nps') AS nps
FROM surveys AS s
WHERE s.opened_at IS NOT NULL;

-- Surveys launched in the period: how many, invited, complete, response rate over them all, and
-- the NPS over all their recommendation answers (NULL when none has an NPS question).
CREATE VIEW v_impact_survey_figures AS
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, sc.scope,
       count(v.survey_id) AS surveys,
       coalesce(sum(v.invited), 0) AS invited,
       coalesce(sum(v.completed), 0) AS completed,
       round(100.0 * sum(v.completed) / nullif(sum(v.invited), 0), 1) AS response_pct,
       coalesce(sum(v.nps_answers), 0) AS nps_answers,
       round(100.0 * (sum(v.promoters) - sum(v.detractors)) / nullif(sum(v.nps_answers), 0), 1)
           AS nps
FROM impact_periods AS p
CROSS JOIN v_impact_scopes AS sc
LEFT JOIN v_impact_survey_scopes AS ss ON ss.scope = sc.scope
LEFT JOIN v_impact_surveys AS v
    ON v.survey_id = ss.survey_id AND v.opened_at >= p.starts_at AND v.opened_at < p.ends_at
GROUP BY p.id, sc.scope;

-- Reach of what the cluster sent to many people (announcements, event notices and reminders,
-- survey invitations and reminders) created in the period: intended = recipients whose message
-- still applied when it went out (skipped ones excluded), delivered = sent, unreachable = the
-- member had blocked the bot.
CREATE VIEW v_impact_reach AS
SELECT p.id AS period_id, p.kind AS period_kind, p.label AS period, sc.scope,
       count(DISTINCT b.id) AS broadcasts,
       count(d.id) FILTER (WHERE d.status <> 'skipped') AS intended,
       count(d.id) FILTER (WHERE d.status = 'sent') AS delivered,
       count(d.id) FILTER (WHERE d.status = 'unreachable') AS unreachable,
       count(d.id) FILTER (WHERE d.status = 'failed') AS failed,
       round(100.0 * count(d.id) FILTER (WHERE d.status = 'sent')
             / nullif(count(d.id) FILTER (WHERE d.status <> 'skipped'), 0), 1) AS reach_pct
FROM impact_periods AS p
CROSS JOIN v_impact_scopes AS sc
LEFT JOIN v_impact_broadcast_scopes AS bs ON bs.scope = sc.scope
LEFT JOIN broadcasts AS b
    ON b.id = bs.broadcast_id AND b.created_at >= p.starts_at AND b.created_at < p.ends_at
LEFT JOIN deliveries AS d ON d.broadcast_id = b.id
GROUP BY p.id, sc.scope;
