"""What a survey is made of, validated with pydantic: from a YAML or JSON document a
coordinator sends, or built step by step in the chat. Errors name the question and field.

The format, by example: `EXAMPLE` below (coordinators get it as a file from /newsurvey,
closing two weeks later).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

EXAMPLE = """\
title: Pulso de talento 2026
intro: Cinco minutos para orientar el programa de talento.
anonymous: true
closes: CLOSES
audience: {axis: talent}
questions:
  - type: single
    text: ¿Tu empresa tiene programa de becarios?
    options: [Sí, No, En preparación]
  - type: scale
    text: ¿Qué tan útil fue el último taller?
    required: false
  - type: text
    text: ¿Por qué no?
    max_length: 300
    show_if: {question: 1, answer: No}
"""


def example(closes: str) -> str:
    """The example document, closing at `closes` (local time, as typed), so that it can be
    sent back as it is."""
    return EXAMPLE.replace("CLOSES", closes)


QuestionKind = Literal["single", "multi", "scale", "nps", "yesno", "number", "text"]
TEXT_LIMIT = 4000
QUESTIONS_MAX = 30
OPTIONS_MAX = 12
OPTION_MAX = 100


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: int = Field(ge=1, description="the number of an earlier question")
    answer: str = Field(min_length=1, max_length=100)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: QuestionKind = Field(alias="type")
    text: str = Field(min_length=1, max_length=300)
    options: list[str] = Field(default_factory=list, max_length=OPTIONS_MAX)
    required: bool = True
    min: float | None = None
    max: float | None = None
    max_length: int = Field(default=1000, ge=1, le=TEXT_LIMIT)
    show_if: Condition | None = None

    @field_validator("options")
    @classmethod
    def _options(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(str(o).split()) for o in value]
        if any(not o or len(o) > OPTION_MAX for o in cleaned):
            raise ValueError(f"each option needs 1 to {OPTION_MAX} characters")
        if len(set(o.lower() for o in cleaned)) != len(cleaned):
            raise ValueError("options must differ from each other")
        return cleaned

    @model_validator(mode="after")
    def _fits_kind(self) -> Question:
        if self.kind in ("single", "multi") and len(self.options) < 2:
            raise ValueError("single and multi questions need at least 2 options")
        if self.kind not in ("single", "multi") and self.options:
            raise ValueError(f"{self.kind} questions take no options")
        low, high = self.min, self.max
        if self.kind == "number" and low is not None and high is not None and low > high:
            raise ValueError("min must not be greater than max")
        return self


class SurveyDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    intro: str | None = Field(default=None, max_length=2000)
    anonymous: bool = False
    closes: str = Field(min_length=1, description="local date and time, as typed in the chat")
    audience: Literal["everyone"] | dict[str, str | int] = "everyone"
    questions: list[Question] = Field(min_length=1, max_length=QUESTIONS_MAX)

    @model_validator(mode="after")
    def _conditions_point_back(self) -> SurveyDefinition:
        for number, question in enumerate(self.questions, start=1):
            condition = question.show_if
            if condition is None:
                continue
            if condition.question >= number:
                raise ValueError(f"question {number}: show_if must name an earlier question")
            earlier = self.questions[condition.question - 1]
            if answer_code(earlier, condition.answer) is None:
                raise ValueError(
                    f"question {number}: show_if answer {condition.answer!r} is not a possible "
                    f"answer of question {condition.question}"
                )
        return self

    @field_validator("audience")
    @classmethod
    def _audience(cls, value: Any) -> Any:
        kinds = ("axis", "organization", "sector", "group", "event")
        if isinstance(value, dict) and (len(value) != 1 or next(iter(value)) not in kinds):
            raise ValueError(
                "audience is everyone, or one of axis, organization, sector, group, event"
            )
        return value


def option_code(position: int) -> str:
    return f"o{position}"


def answer_code(question: Question, answer: str) -> str | None:
    """The stored code of a typed answer to a question (for show_if), None if impossible."""
    wanted = answer.strip().lower()
    if question.kind in ("single", "multi"):
        for position, label in enumerate(question.options, start=1):
            if label.lower() == wanted or option_code(position) == wanted:
                return option_code(position)
        return None
    if question.kind == "yesno":
        yes = {"yes", "sí", "si", "1", "true"}
        no = {"no", "0", "false"}
        return "1" if wanted in yes else "0" if wanted in no else None
    if question.kind in ("scale", "nps", "number") and re.fullmatch(r"-?\d+(\.\d+)?", wanted):
        return wanted
    return None


class DefinitionProblem(Exception):
    """The document is not a valid survey; `problems` are (question number or None, field, text)."""

    def __init__(self, problems: list[tuple[int | None, str, str]]) -> None:
        super().__init__("; ".join(p[2] for p in problems))
        self.problems = problems


def _yaml_loader() -> Any:
    """YAML 1.2 booleans only: an option written `No` or `Sí` stays text (YAML 1.1 would read
    No, Yes, On, Off as booleans). PyYAML loads with the first survey file, not at start-up."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return Loader


def parse_document(raw: bytes, filename: str) -> SurveyDefinition:
    """A YAML or JSON document → a validated definition, or DefinitionProblem."""
    import yaml

    try:
        text = raw.decode("utf-8-sig")
        data = (
            json.loads(text)
            if filename.lower().endswith(".json")
            else yaml.load(text, _yaml_loader())  # noqa: S506 - a SafeLoader subclass
        )
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise DefinitionProblem(
            [(None, "document", f"cannot be read: {exc}".splitlines()[0])]
        ) from exc
    if not isinstance(data, dict):
        raise DefinitionProblem([(None, "document", "must be a mapping with title, questions…")])
    if isinstance(data.get("closes"), object) and not isinstance(data.get("closes"), str | None):
        data["closes"] = str(data["closes"])  # YAML reads 2026-12-05 18:00 as a datetime
    try:
        return SurveyDefinition.model_validate(data)
    except ValidationError as exc:
        raise DefinitionProblem(_problems(exc)) from exc


def _problems(exc: ValidationError) -> list[tuple[int | None, str, str]]:
    found = []
    for error in exc.errors():
        location = list(error["loc"])
        number = None
        if len(location) >= 2 and location[0] == "questions" and isinstance(location[1], int):
            number = location[1] + 1
            location = location[2:]
        field = ".".join(str(part) for part in location if not str(part).startswith("function"))
        message = str(error["msg"]).removeprefix("Value error, ")
        match = re.match(r"question (\d+): (.*)", message)
        if match:
            number, message = int(match.group(1)), match.group(2)
            field = field or "show_if"
        if not field:
            field = "survey" if number is None else ("options" if "option" in message else "type")
        found.append((number, field, message))
    return found
