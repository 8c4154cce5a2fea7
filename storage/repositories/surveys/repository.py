"""The survey repository handlers reach as `repos.surveys`: one class made of the parts, so
callers need not know which module holds which query.

surveys.py (surveys, questions, polls) is the base; responses.py (drafts, answers, closing) and
results.py (figures) each build on it, and share its one cache of survey structures here.
"""

from __future__ import annotations

from storage.repositories.surveys.responses import Responses
from storage.repositories.surveys.results import Figures


class SurveyRepository(Responses, Figures):
    """Surveys and questions, answers and completion, closing, polls and results."""
