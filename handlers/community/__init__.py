"""The community supergroup: join requests decided by membership.

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
