-- A member's answers stay in their draft while they answer, in named surveys as in anonymous
-- ones: storing an answer is one UPDATE of the draft. They are filed as the response when the
-- member finishes, or as an incomplete response when the survey closes. Answers of named
-- responses still in progress move from survey_answers into their drafts, as the bot keeps
-- them there: option codes, texts, and numbers without a trailing ".0".
UPDATE survey_drafts SET answers = (
    SELECT json_group_object(CAST(question_id AS TEXT), json(answer_values)) FROM (
        SELECT a.question_id, json_group_array(
            CASE WHEN a.option_id IS NOT NULL THEN o.code
                 WHEN a.value_text IS NOT NULL THEN a.value_text
                 WHEN a.value_number = CAST(a.value_number AS INTEGER)
                     THEN CAST(CAST(a.value_number AS INTEGER) AS TEXT)
                 ELSE CAST(a.value_number AS TEXT) END) AS answer_values
        FROM survey_answers AS a
        JOIN survey_responses AS r ON r.id = a.response_id
        LEFT JOIN survey_options AS o ON o.id = a.option_id
        WHERE r.survey_id = survey_drafts.survey_id AND r.member_id = survey_drafts.member_id
        GROUP BY a.question_id))
WHERE EXISTS (
    SELECT 1 FROM survey_responses AS r JOIN survey_answers AS a ON a.response_id = r.id
    WHERE r.survey_id = survey_drafts.survey_id AND r.member_id = survey_drafts.member_id
      AND r.complete = 0);

DELETE FROM survey_answers WHERE response_id IN (
    SELECT r.id FROM survey_responses AS r
    JOIN survey_drafts AS d ON d.survey_id = r.survey_id AND d.member_id = r.member_id
    WHERE r.complete = 0);
