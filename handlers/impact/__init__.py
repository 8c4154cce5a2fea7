"""Impact: the cluster's engagement per strategic axis — /impact in the chat, the web dashboard
(/dashboard gives the link), and the monthly PDF report (a job, and `clia-bot report`).

Every figure comes from the v_impact_* views through storage/repositories/impact/; this package
only chooses, authorizes and formats. It uses handlers.core, bot/ and storage/, no other feature.

scopes.py     what a caller may see: every scope for admins, their axes for coordinators
text.py       names of periods and scopes, numbers, changes (▲ ▼) and the indicator lines
charts.py     the charts (matplotlib): the phone panel as PNG, single charts as SVG or PNG
command.py    /impact: the summary, axis and period buttons, the panel
dashboard.py  /dashboard: a personal one-time link
web.py        the dashboard's pages, sessions and CSV files (tornado, on the bot's web server)
pages.py      the dashboard's HTML
report.py     the monthly PDF (fpdf2) and its two-line summary
monthly.py    the monthly job that sends it once to each admin and coordinator
"""
