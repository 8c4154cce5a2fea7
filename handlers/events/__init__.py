"""Events and working-group meetings: cards and answers (Going / Maybe / Can't go), the
coordinators' form to create, move, edit and cancel, attendance (check-in, door list,
/attendees), working groups, forum topics, and the notices and reminders the outbox sends.

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
