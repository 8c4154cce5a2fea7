"""Drive a running sandbox over HTTP, as the chat page does."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from bot.config import Settings
from bot.sandbox.runner import Sandbox


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def running_sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The real bot polling a sandbox server on a free local port, until the block ends."""
    settings = Settings(_env_file=None, log_level="INFO")  # type: ignore[call-arg]
    sandbox = Sandbox(settings, port=free_port(), database=tmp_path / "sandbox.db")
    stop = asyncio.Event()
    task = asyncio.create_task(sandbox.serve(stop))
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=10) as client:
        for _ in range(200):
            try:
                if (await client.get("/ui/state")).status_code == 200 and sandbox.app:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    try:
        yield sandbox
    finally:
        stop.set()
        await task


class PagePerson:
    """One person using the page: actions over HTTP, then wait for what the bot shows."""

    def __init__(self, sandbox: Sandbox, client: httpx.AsyncClient, user_id: int) -> None:
        self.sandbox, self.client, self.id = sandbox, client, user_id

    async def _post(self, action: str, **body: Any) -> dict[str, Any]:
        response = await self.client.post(f"/ui/{action}", json={"user": self.id, **body})
        response.raise_for_status()
        return dict(response.json())

    async def state(self) -> dict[str, Any]:
        response = await self.client.get("/ui/state", params={"user": self.id})
        return dict(response.json())

    async def send(self, text: str) -> None:
        await self._post("send", text=text)

    async def attach(self, name: str, mime: str, data: bytes) -> None:
        """The page's 📎: a file from this person's device."""
        await self._post("attach", name=name, mime=mime, data=base64.b64encode(data).decode())

    async def share_contact(self) -> None:
        await self._post("contact")

    async def tap(self, label: str, *, ending: bool = False) -> None:
        """Tap the newest inline button with this label (or whose label ends with it, for
        buttons that start with a date), as a finger on the page would."""
        messages = (await self.state())["messages"]
        for message in reversed(messages):
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    text = button["text"]
                    if text == label or (ending and text.endswith(label)):
                        await self._post(
                            "tap",
                            chat=message["chat"]["id"],
                            message=message["message_id"],
                            data=button["callback_data"],
                        )
                        return
        raise AssertionError(f"no button {label!r}")

    async def wait_for_text(self, fragment: str, seconds: float = 10) -> dict[str, Any]:
        """The first message of the bot containing `fragment`, waiting for it to arrive."""
        return await self.wait(
            lambda s: next(
                (m for m in s["messages"] if fragment in (m.get("text") or m.get("caption") or "")),
                None,
            ),
            seconds,
        )

    async def wait(self, find: Callable[[dict[str, Any]], Any], seconds: float = 10) -> Any:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            found = find(await self.state())
            if found:
                return found
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the bot did not show what was expected in time")
            await asyncio.sleep(0.03)
