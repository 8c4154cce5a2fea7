"""The steps of the member form, shared by sign-up, /profile's edit buttons and approval.

The values are conversation states stored in SQLite: keep them stable.
"""

from __future__ import annotations

LANGUAGE = "language"
PRIVACY = "privacy"
NAME = "name"
ORGANIZATION = "organization"
NEW_ORGANIZATION = "new_organization"
SECTOR = "sector"
JOB_TITLE = "job_title"
EMAIL = "email"
PHONE = "phone"
AXES = "axes"
SUMMARY = "summary"
TIME_ZONE = "time_zone"  # asked only from /profile
