"""The figures of a survey, computed by SQLite: invited, started and completed, and per
question the counts, the people who answered, the mean, the NPS and the free texts (complete
responses only). /results and the analysis benchmark read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.repositories.surveys.surveys import QuestionRow, Survey, Surveys, number_code


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionRow
    answered: int
    counts: dict[str, int]  # option code or value → count
    mean: float | None
    nps: float | None
    texts: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    survey: Survey
    invited: int
    started: int
    completed: int
    questions: tuple[QuestionResult, ...]


class Figures(Surveys):
    """The results of one survey."""

    async def results(self, survey_id: int) -> Results | None:
        """Everything /results shows, None if there is no such survey."""
        survey = await self.get(survey_id)
        if survey is None:
            return None
        invited, started, completed = await self.db.fetchone(
            "SELECT count(invited_at), count(started_at), count(completed_on)"
            " FROM survey_participation WHERE survey_id = ?",
            (survey_id,),
        ) or (0, 0, 0)
        counted = await self.db.fetchall(
            "SELECT a.question_id, a.option_id, a.value_number, count(*)"
            " FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id"
            " WHERE r.survey_id = ? AND r.complete = 1 AND a.value_text IS NULL"
            " GROUP BY 1, 2, 3",
            (survey_id,),
        )
        codes = {o.id: o.code for q in survey.questions for o in q.options}
        counts: dict[int, dict[str, int]] = {}
        sums: dict[int, tuple[float, int]] = {}
        for question_id, option_id, number, how_many in counted:
            key = codes.get(option_id, "") if option_id is not None else number_code(number)
            counts.setdefault(int(question_id), {})[key] = int(how_many)
            if number is not None:
                total, n = sums.get(int(question_id), (0.0, 0))
                sums[int(question_id)] = (total + float(number) * how_many, n + int(how_many))
        answered = {q: sum(c.values()) for q, c in counts.items()}  # one answer per response…
        multi = [q.id for q in survey.questions if q.kind == "multi"]
        if multi:  # …except multiple choice: count the people, not the ticks
            marks = ",".join("?" for _ in multi)
            for question_id, people in await self.db.fetchall(
                "SELECT a.question_id, count(DISTINCT a.response_id) FROM survey_answers a"
                " JOIN survey_responses r ON r.id = a.response_id"
                f" WHERE a.question_id IN ({marks}) AND r.complete = 1 GROUP BY 1",
                multi,
            ):
                answered[int(question_id)] = int(people)
        texts: dict[int, list[str]] = {}
        free = [q.id for q in survey.questions if q.kind == "text"]
        if free:
            marks = ",".join("?" for _ in free)
            for question_id, text in await self.db.fetchall(
                "SELECT a.question_id, a.value_text FROM survey_answers a"
                " JOIN survey_responses r ON r.id = a.response_id"
                f" WHERE a.question_id IN ({marks}) AND r.complete = 1"
                " ORDER BY a.question_id, a.value_text",
                free,
            ):
                texts.setdefault(int(question_id), []).append(str(text))
                answered[int(question_id)] = answered.get(int(question_id), 0) + 1
        means = {q: total / n for q, (total, n) in sums.items() if n}
        results = []
        for question in survey.questions:
            mine = counts.get(question.id, {})
            nps = None
            if question.kind == "nps" and mine:
                total = sum(mine.values())
                promoters = sum(n for v, n in mine.items() if float(v) >= 9)
                detractors = sum(n for v, n in mine.items() if float(v) <= 6)
                nps = round(100 * (promoters - detractors) / total, 1)
            mean = means.get(question.id) if question.kind in ("scale", "nps", "number") else None
            results.append(
                QuestionResult(
                    question=question,
                    answered=int(answered.get(question.id, 0)),
                    counts=mine,
                    mean=round(float(mean), 2) if mean is not None else None,
                    nps=nps,
                    texts=tuple(texts.get(question.id, [])),
                )
            )
        return Results(survey, int(invited), int(started), int(completed), tuple(results))
