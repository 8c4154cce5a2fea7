"""Members: sign-up and profile edits (one form), approval of applications and /members,
invitations, /profile and /notifications, privacy rights (/privacy, /mydata, /forget), and
the admins' roles and audit log.

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
