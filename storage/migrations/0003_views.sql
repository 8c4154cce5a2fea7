-- Views for analysts (sqlite3, datasette, pandas). No e-mail or phone in any of them.

CREATE VIEW v_members AS
SELECT m.id AS member_id, m.full_name, m.job_title, o.name AS organization, o.sector,
       m.role, m.status, m.language, m.unreachable_since IS NULL AS reachable,
       m.notifications_enabled, m.applied_at, m.decided_at, m.created_at
FROM members AS m
LEFT JOIN organizations AS o ON o.id = m.organization_id
WHERE m.status <> 'prospect';

CREATE VIEW v_member_axes AS
SELECT ma.member_id, a.code AS axis, ma.muted
FROM member_axes AS ma JOIN axes AS a ON a.id = ma.axis_id;

CREATE VIEW v_event_attendance AS
SELECT e.id AS event_id, e.kind, a.code AS axis, wg.name AS working_group, e.title,
       e.starts_at, e.ends_at, e.status, e.capacity,
       (SELECT count(*) FROM rsvps r WHERE r.event_id = e.id AND r.answer = 'going') AS going,
       (SELECT count(*) FROM rsvps r WHERE r.event_id = e.id AND r.answer = 'maybe') AS maybe,
       (SELECT count(*) FROM rsvps r WHERE r.event_id = e.id AND r.answer = 'declined') AS declined,
       (SELECT count(*) FROM rsvps r WHERE r.event_id = e.id AND r.answer = 'waitlisted') AS waitlisted,
       (SELECT count(*) FROM attendance t WHERE t.event_id = e.id) AS checked_in
FROM events AS e
JOIN axes AS a ON a.id = e.axis_id
LEFT JOIN working_groups AS wg ON wg.id = e.group_id;

-- One row per answer (long form); member_id is NULL for anonymous surveys.
CREATE VIEW v_survey_answers AS
SELECT s.id AS survey_id, s.title AS survey, s.anonymous, r.id AS response_id, r.member_id,
       r.complete, r.submitted_on, q.position AS question_no, q.kind AS question_kind,
       q.text AS question, o.code AS option_code, o.label AS option_label,
       ans.value_number, ans.value_text
FROM survey_answers AS ans
JOIN survey_responses AS r ON r.id = ans.response_id
JOIN surveys AS s ON s.id = r.survey_id
JOIN survey_questions AS q ON q.id = ans.question_id
LEFT JOIN survey_options AS o ON o.id = ans.option_id;

CREATE VIEW v_survey_response_rates AS
SELECT s.id AS survey_id, s.title AS survey, s.status,
       count(p.member_id) AS invited,
       count(p.started_at) AS started,
       count(p.completed_on) AS completed,
       round(100.0 * count(p.completed_on) / nullif(count(p.member_id), 0), 1) AS completion_pct
FROM surveys AS s
LEFT JOIN survey_participation AS p ON p.survey_id = s.id
GROUP BY s.id;

CREATE VIEW v_broadcast_figures AS
SELECT b.id AS broadcast_id, b.kind, b.status, b.created_at, b.finished_at,
       count(d.id) AS recipients,
       count(d.id) FILTER (WHERE d.status = 'sent') AS sent,
       count(d.id) FILTER (WHERE d.status = 'pending') AS pending,
       count(d.id) FILTER (WHERE d.status = 'unreachable') AS unreachable,
       count(d.id) FILTER (WHERE d.status = 'failed') AS failed
FROM broadcasts AS b
LEFT JOIN deliveries AS d ON d.broadcast_id = b.id
GROUP BY b.id;
