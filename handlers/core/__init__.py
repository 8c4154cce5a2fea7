"""The chat's frame, under every feature: who is calling (caller), flood control, guards,
the error handler, reachability, the main menu, /start, /help, /cancel and the fallbacks,
/language, and the helpers every form uses (forms).

May use bot/ and storage/; never a feature package (features give the menu their callbacks
through `menu.set_items`, from handlers/__init__.py).
"""
