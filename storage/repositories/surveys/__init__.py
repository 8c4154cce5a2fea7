"""Surveys: definitions (pydantic), questions, drafts, responses, results and exports. SQL only."""
