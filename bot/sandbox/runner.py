"""Run the sandbox: the local Bot API server with its chat page, and the real bot polling it.

The bot is built by the same `build_application` as in production; only its
settings differ: the API base URL points at the sandbox, the database is
`data/sandbox.db` (seeded with a demo the first time), and a demo admin exists.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from bot.application import ALLOWED_UPDATES, App, build_application
from bot.commands import set_personal_menu
from bot.config import SUPPORTED_LANGUAGES, Settings
from bot.roles import Role
from bot.sandbox.api import BotAPI
from bot.sandbox.server import make_app
from bot.sandbox.world import COMMUNITY_ID, Person, World
from bot.web import mount
from storage import demo

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "123456:sandbox-token-for-the-local-bot-api"  # noqa: S105 - not a secret
DEFAULT_DATABASE = Path("data/sandbox.db")
TOPIC_OF_AXIS = {"innovation": 101, "talent": 102, "leadership": 103, "globalization": 104}


class Sandbox:
    def __init__(
        self,
        settings: Settings,
        host: str = "127.0.0.1",
        port: int = 8080,
        database: Path = DEFAULT_DATABASE,
    ) -> None:
        self.host, self.port, self.database = host, port, database
        self.settings = settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(SANDBOX_TOKEN),
                "telegram_api_base_url": f"http://{host}:{port}",
                "database_path": database,
                "admin_ids": frozenset({demo.ADMIN_ID}),
                "community_chat_id": COMMUNITY_ID,
                "webhook_url": None,
                "backup_dir": None,  # the demo's database is thrown away, not backed up
                "dashboard_url": f"http://{host}:{port}/dashboard",
            }
        )
        self.world = World()
        self.api = BotAPI(self.world)
        self.app: App | None = None
        self._lock = asyncio.Lock()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _populate(self) -> None:
        for p in demo.PEOPLE:
            hint = "pending" if p.status == "pending" else p.role
            self.world.add_person(p.first_name, p.last_name, p.language, hint, p.telegram_id)
        self.world.add_person("Paola", "Nueva", "es", "newcomer", 20100)
        self.world.group_members.update(p.telegram_id for p in demo.PEOPLE if p.status == "active")

    async def start_bot(self) -> None:
        """Build, seed (first time), start and poll, exactly as `clia-bot run` does."""
        fresh = not self.database.exists()
        app = build_application(self.settings)
        await app.initialize()  # opens and migrates the database (through the persistence)
        services = app.bot_data.services
        assert services is not None
        if fresh:
            await demo.seed(services.db, datetime.now(UTC), COMMUNITY_ID, TOPIC_OF_AXIS)
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(
            poll_interval=0.0, timeout=10, allowed_updates=ALLOWED_UPDATES
        )
        self.app = app

    async def stop_bot(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None and app.post_shutdown is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)

    async def reset(self) -> None:
        """Start fresh: a new demo database and empty chats."""
        async with self._lock:
            await self.stop_bot()
            for suffix in ("", "-wal", "-shm"):
                self.database.with_name(self.database.name + suffix).unlink(missing_ok=True)
            self.world.__init__()  # type: ignore[misc]
            self._populate()
            await self.start_bot()

    async def add_person(self, first: str, last: str | None, language: str, role: str) -> Person:
        """A person for the page; members, coordinators and admins arrive signed up."""
        language = language if language in SUPPORTED_LANGUAGES else "es"
        role = role if role in ("newcomer", "member", "coordinator", "admin") else "newcomer"
        person = self.world.add_person(first, last, language, role)
        if role != "newcomer" and self.app is not None:
            services = self.app.bot_data.services
            assert services is not None
            name = f"{first} {last or ''}".strip()
            await demo.add_ready_member(
                services.db, person.id, name, language, role, datetime.now(UTC)
            )
            bot_role: Role = role  # type: ignore[assignment]
            await set_personal_menu(self.app.bot, services.i18n, person.id, language, bot_role)
        return person

    async def serve(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set, then stop the bot and the server cleanly."""
        self._populate()
        app = make_app(self)
        server = app.listen(self.port, address=self.host)
        try:
            await self.start_bot()
            # The bot's own routes (/healthz, the dashboard…), served beside the sandbox's, as in
            # production.
            mount(app, lambda: self.app)
            log.info("sandbox ready: open %s", self.url)
            await stop.wait()
        finally:
            await self.stop_bot()
            await self.world.close()
            server.stop()
            await asyncio.sleep(0.1)  # the answered long polls finish writing


def run(settings: Settings, port: int = 8080, database: Path = DEFAULT_DATABASE) -> int:
    """`clia-bot sandbox` (and `clia-bot run` without a token)."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        sandbox = Sandbox(settings, port=port, database=database)
        print(f"Sandbox: open {sandbox.url} in a browser (Ctrl+C stops it).", flush=True)
        await sandbox.serve(stop)

    try:
        asyncio.run(main())
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"Port {port} is already in use (is another sandbox running?). Stop it, or choose "
            "another port with --port N or SANDBOX_PORT.",
            file=sys.stderr,
        )
        return 1
    return 0
