"""Quick surveys: answering (one question per message), building them in the chat or from a
file, the audience picker, launching, reminders, closing, and /results with its exports.

May use handlers.core, handlers.shared, bot/ and storage/; no other feature.
"""
