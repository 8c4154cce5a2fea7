"""The Bot API methods the bot uses, answered from the sandbox world like Telegram would."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.world import BOT_USER, COMMUNITY_ID, World

# Parameters sent as raw strings; every other value arrives JSON-encoded.
_RAW = {
    "text",
    "caption",
    "parse_mode",
    "callback_query_id",
    "question",
    "language_code",
    "url",
    "description",
    "file_id",
    "secret_token",
    "photo",
    "document",
    "explanation",
}


class ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def decode(params: dict[str, str]) -> dict[str, Any]:
    """Form fields as PTB sends them: JSON values, except the plain-string fields."""
    decoded: dict[str, Any] = {}
    for name, value in params.items():
        if name in _RAW:
            decoded[name] = value
            continue
        try:
            decoded[name] = json.loads(value)
        except ValueError:
            decoded[name] = value
    return decoded


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    value = params.get("reply_markup")
    return value if isinstance(value, dict) else None


class BotAPI:
    def __init__(self, world: World) -> None:
        self.world = world

    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, str, bytes]]
    ) -> Any:
        handler = getattr(self, f"m_{method}", None)
        if handler is None:
            raise ApiError(404, f"Not Found: method {method} is not supported by the sandbox")
        return await handler(params, files)

    def _chat_id(self, params: dict[str, Any]) -> int:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError) as error:
            raise ApiError(400, "Bad Request: chat_id is required") from error
        if chat_id != COMMUNITY_ID and chat_id not in self.world.people:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _send(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        markup = _markup(params)
        if markup and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        if params.get("parse_mode"):
            content["_parse_mode"] = params["parse_mode"]
        message = self.world.bot_message(chat_id, params.get("message_thread_id"), **content)
        if markup and ("keyboard" in markup or "remove_keyboard" in markup):
            self.world.reply_keyboards[chat_id] = markup if "keyboard" in markup else None
        return {k: v for k, v in message.items() if not k.startswith("_")}

    # --- basics -------------------------------------------------------------------------

    async def m_getMe(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return BOT_USER

    async def m_deleteWebhook(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def m_getWebhookInfo(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def m_getUpdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        return await self.world.get_updates(
            int(params.get("offset") or 0),
            int(params.get("limit") or 100),
            float(params.get("timeout") or 0),
        )

    # --- messages -----------------------------------------------------------------------

    async def m_sendMessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        text = str(params.get("text", ""))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return self._send(params, text=text)

    async def m_editMessageText(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        message = self._stored(params)
        message["text"] = str(params.get("text", ""))
        message["edit_date"] = self.world.now()
        markup = _markup(params)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self.world._touch()
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def m_editMessageReplyMarkup(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        message = self._stored(params)
        markup = _markup(params)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self.world._touch()
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def m_editMessageCaption(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        message = self._stored(params)
        message["caption"] = str(params.get("caption", ""))
        self.world._touch()
        return {k: v for k, v in message.items() if not k.startswith("_")}

    async def m_deleteMessage(self, params: dict[str, Any], files: Any) -> bool:
        message = self._stored(params)
        self.world.messages[int(params["chat_id"])].remove(message)
        self.world._touch()
        return True

    def _stored(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        message = self.world.find_message(chat_id, int(params.get("message_id", 0)))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def m_answerCallbackQuery(self, params: dict[str, Any], files: Any) -> bool:
        user_id = self.world.query_users.pop(str(params.get("callback_query_id")), None)
        if user_id is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        text = params.get("text")
        if text:
            self.world.alert(user_id, str(text), bool(params.get("show_alert")))
        return True

    async def m_sendChatAction(self, params: dict[str, Any], files: Any) -> bool:
        return True

    # --- files --------------------------------------------------------------------------

    def _upload(
        self, params: dict[str, Any], files: dict[str, tuple[str, str, bytes]], field: str
    ) -> tuple[str, str, bytes] | None:
        value = str(params.get(field, ""))
        if value.startswith("attach://"):
            return files.get(value.removeprefix("attach://"))
        if field in files:
            return files[field]
        stored = self.world.files.get(value)
        return (stored.name, stored.mime, stored.data) if stored else None

    async def m_sendDocument(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        upload = self._upload(params, files, "document")
        if upload is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        stored = self.world.store_file(*upload)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "file_name": stored.name,
            "mime_type": stored.mime,
            "file_size": len(stored.data),
        }
        return self._send(params, document=document, caption=str(params.get("caption", "")))

    async def m_sendPhoto(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        upload = self._upload(params, files, "photo")
        if upload is None:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        stored = self.world.store_file(*upload)
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "width": 800,
            "height": 800,
            "file_size": len(stored.data),
        }
        return self._send(params, photo=[size], caption=str(params.get("caption", "")))

    async def m_getFile(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        stored = self.world.files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "file_size": len(stored.data),
            "file_path": stored.file_id,
        }

    # --- polls --------------------------------------------------------------------------

    async def m_sendPoll(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        options = [
            o if isinstance(o, str) else o.get("text", "") for o in params.get("options", [])
        ]
        if not 2 <= len(options) <= 10:
            raise ApiError(400, "Bad Request: poll must have 2-10 options")
        poll_id = self.world.new_poll_id()
        poll: dict[str, Any] = {
            "id": poll_id,
            "question": str(params.get("question", "")),
            "options": [
                {"text": o, "voter_count": 0, "persistent_id": f"{poll_id}-{n}"}
                for n, o in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True) not in (False, "false", "False"),
            "type": "regular",
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": True,
            "members_only": False,
        }
        self.world.polls[poll_id] = poll
        return self._send(params, poll={k: v for k, v in poll.items()})

    async def m_stopPoll(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        message = self._stored(params)
        poll = self.world.polls.get(message.get("poll", {}).get("id", ""))
        if poll is None:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        poll["is_closed"] = True
        public = {k: v for k, v in poll.items() if not k.startswith("_")}
        message["poll"] = public
        self.world._touch()
        return public

    # --- commands and chats --------------------------------------------------------------

    async def m_setMyCommands(self, params: dict[str, Any], files: Any) -> bool:
        scope = params.get("scope") or {"type": "default"}
        chat_id = scope.get("chat_id")
        key = (
            scope["type"],
            int(chat_id) if chat_id else None,
            params.get("language_code") or None,
        )
        self.world.commands[key] = list(params.get("commands", []))
        self.world._touch()
        return True

    async def m_deleteMyCommands(self, params: dict[str, Any], files: Any) -> bool:
        scope = params.get("scope") or {"type": "default"}
        chat_id = scope.get("chat_id")
        key = (
            scope["type"],
            int(chat_id) if chat_id else None,
            params.get("language_code") or None,
        )
        self.world.commands.pop(key, None)
        return True

    async def m_getMyCommands(self, params: dict[str, Any], files: Any) -> list[dict[str, str]]:
        scope = params.get("scope") or {"type": "default"}
        chat_id = scope.get("chat_id")
        key = (
            scope["type"],
            int(chat_id) if chat_id else None,
            params.get("language_code") or None,
        )
        return self.world.commands.get(key, [])

    async def m_getChat(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        if chat_id == COMMUNITY_ID:
            return self.world.community_chat()
        return self.world.people[chat_id].chat

    async def m_getChatMember(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        user_id = int(params.get("user_id", 0))
        person = self.world.people.get(user_id)
        if person is None:
            raise ApiError(400, "Bad Request: user not found")
        status = "member" if user_id in self.world.group_members else "left"
        return {"status": status, "user": person.user}

    async def m_approveChatJoinRequest(self, params: dict[str, Any], files: Any) -> bool:
        user_id = int(params.get("user_id", 0))
        if user_id not in self.world.join_requests:
            raise ApiError(400, "Bad Request: HIDE_REQUESTER_MISSING")
        self.world.join_requests.discard(user_id)
        self.world.group_members.add(user_id)
        self.world._touch()
        return True

    async def m_declineChatJoinRequest(self, params: dict[str, Any], files: Any) -> bool:
        self.world.join_requests.discard(int(params.get("user_id", 0)))
        self.world._touch()
        return True
