"""CLIA member-engagement bot: assembly of settings, i18n, jobs and the Telegram Application."""
