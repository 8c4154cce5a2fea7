"""Modules that feature packages share on purpose (each says who uses it and why)."""
