"""Announcements to a segment: the /broadcast form (text, media, audience, preview, send now
or later) and /broadcasts (figures, problems CSV, cancel a scheduled one).

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
