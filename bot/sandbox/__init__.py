"""The sandbox: the whole bot on one machine without a Telegram token.

A local Bot API server (`server.py`) speaks the methods the bot uses over real
HTTP, and serves a phone-like chat page; the real bot polls it exactly as it
polls Telegram (`runner.py`).
"""
