"""Impact: the cluster's engagement per period and axis, from the v_impact_* views. SQL only.

periods.py  months, quarters and years in the local zone, and the calendar table behind the views
figures.py  every indicator of a period and scope, the monthly trends, the per-organization,
            per-event and per-survey tables, and any view as rows for a CSV
access.py   /dashboard's one-time links and the sessions they open (hashed tokens)
reports.py  the monthly report's log: one row per month and recipient
"""
