"""Surveys: definitions (pydantic), questions, drafts, responses, results and exports. SQL only.

definition.py  what a survey is made of, from a YAML/JSON file or the chat's form
surveys.py     surveys and questions, the lists of them, native polls (the base of the rest)
responses.py   participation, drafts, answers, completion, closing; how anonymity is kept
results.py     the figures /results shows
repository.py  SurveyRepository: the parts above as one `repos.surveys`
exports.py     CSV and .xlsx files for analysis
"""
