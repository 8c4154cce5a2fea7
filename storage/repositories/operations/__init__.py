"""Repositories of the operations feature: error reports and the figures of /status and /healthz."""
