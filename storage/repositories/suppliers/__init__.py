"""Supplier development's SQL: capability profiles, sourcing requests, answers, introductions."""
