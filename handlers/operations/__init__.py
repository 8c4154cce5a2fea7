"""Running the bot for years: what the people who look after it see.

- alerts: unexpected errors and failed backups, told to the admins in the chat (at most once
  per kind per hour), stored for /status;
- backups: the job that writes the nightly copy (bot/backups.py) and reports a failure;
- status: /status for admins (version, uptime, members, outbox, last backup, errors);
- health: `/healthz` on the bot's web server (bot/web.py), for uptime monitors.

May use bot/ and storage/ (its repository is storage/repositories/operations/) and
handlers.core; never another feature. Registered from handlers/__init__.py.
"""
