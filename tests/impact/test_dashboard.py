"""The dashboard over HTTP: the bot's web server (bot/web.py) started on a free local port, a
link from /dashboard, the session cookie, scopes, CSV files, and every refusal."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import httpx

from bot import web
from bot.i18n import Translator
from handlers.impact.text import CHART_TITLES
from tests.harness import Harness
from tests.impact import dataset
from tests.sandbox_driver import free_port

LINK = re.compile(r"http://\S+/dashboard/login\?t=[A-Za-z0-9_-]+")


@asynccontextmanager
async def served(harness: Harness) -> AsyncIterator[httpx.AsyncClient]:
    """The registered routes on 127.0.0.1, as the web server serves them in polling mode."""
    port = free_port()
    server = web.make_app(lambda: harness.app).listen(port, address="127.0.0.1")
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
            yield client
    finally:
        server.stop()


async def _link(harness: Harness, user_id: int) -> str:
    replies = await harness.person(user_id, "Staff").send("/dashboard")
    found = LINK.search(replies.last.text)
    assert found, replies.last.text
    return found.group(0).split("/dashboard", 1)[1]


async def _setup(harness: Harness) -> dataset.Ids:
    harness.clock.now = datetime(2026, 10, 28, 18, 0, tzinfo=UTC)
    return await dataset.build(harness.db)


async def test_an_admin_opens_every_page_and_downloads_csv(harness: Harness) -> None:
    await _setup(harness)
    link = await _link(harness, 900)
    assert "Funciona una sola vez, durante 15 minutos" in harness.api.sent(900)[-1].text
    async with served(harness) as client:
        assert (await client.get("/dashboard")).status_code == 401  # no session yet
        opened = await client.get("/dashboard" + link)
        assert opened.status_code == 302 and opened.headers["location"] == "/dashboard"
        cookie = opened.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dashboard" in cookie
        page = await client.get("/dashboard")
        assert page.status_code == 200
        assert "default-src 'none'" in page.headers["content-security-policy"]
        html = page.text
        assert "Todo el clúster · Octubre de 2026" in html
        assert 'data-key="members"' in html and html.count('<img class="chart"') == 5
        assert "Organizaciones participantes" in html and "75 %" in html
        talent = await client.get("/dashboard", params={"scope": "talent", "period": "2026-10"})
        assert "🎓 Talento · Octubre de 2026" in talent.text

        events = await client.get("/dashboard/events", params={"period": "2026-10"})
        assert "Feria sin asistentes" in events.text and "/dashboard/events/" in events.text
        event_id = re.search(r"/dashboard/events/(\d+)", events.text)
        assert event_id is not None
        event = await client.get(f"/dashboard/events/{event_id.group(1)}")
        assert event.status_code == 200
        surveys = await client.get("/dashboard/surveys", params={"period": "2026-10"})
        assert "Pulso" in surveys.text
        organizations = await client.get("/dashboard/organizations", params={"period": "2026-10"})
        assert "Universidad Panamericana" in organizations.text

        csv = await client.get("/dashboard/organizations.csv", params={"period": "2026-10"})
        assert csv.headers["content-type"].startswith("text/csv")
        body = csv.content.decode("utf-8")
        assert body.startswith("\ufefforganization,sector,members,participants")
        assert "Flex,tier1,2,1,50.0" in body
        indicators = await client.get("/dashboard/indicators.csv", params={"period": "2026-10"})
        assert "month,2026-10,cluster,5,1,1" in indicators.content.decode("utf-8")

        english = await client.get("/dashboard", params={"lang": "en"})
        assert "Whole cluster · October 2026" in english.text
        assert (await client.get("/dashboard/logout")).status_code == 200
        assert (await client.get("/dashboard")).status_code == 401


async def test_links_are_single_use_expire_and_belong_to_staff(harness: Harness) -> None:
    await _setup(harness)
    link = await _link(harness, 900)
    async with served(harness) as first, served(harness) as second:
        assert (await first.get("/dashboard" + link)).status_code == 302
        reused = await second.get("/dashboard" + link)
        assert reused.status_code == 401 and "ya no es válido" in reused.text
        late = await _link(harness, 900)
        harness.clock.advance(minutes=16)
        assert (await second.get("/dashboard" + late)).status_code == 401
        forged = await second.get("/dashboard/login", params={"t": "x" * 43})
        assert forged.status_code == 401
    refused = await harness.person(902, "Mario").send("/dashboard")
    assert "coordinadores" in refused.text and "login" not in refused.text
    rows = await harness.db.fetchval(
        "SELECT count(*) FROM dashboard_links WHERE member_id = ?",
        (await _member_id(harness, 902),),
    )
    assert rows == 0


async def test_a_coordinator_of_talent_gets_talent_only_and_loses_it_when_demoted(
    harness: Harness,
) -> None:
    ids = await _setup(harness)
    link = await _link(harness, 901)
    async with served(harness) as client:
        assert (await client.get("/dashboard" + link)).status_code == 302
        page = await client.get("/dashboard")
        assert "🎓 Talento · Octubre de 2026" in page.text
        assert "Todo el clúster" not in page.text and "Innovación" not in page.text
        for path, params in (
            ("/dashboard", {"scope": "cluster"}),
            ("/dashboard", {"scope": "innovation"}),
            ("/dashboard/events.csv", {"scope": "cluster"}),
            ("/dashboard/organizations", {"scope": "globalization"}),
            (f"/dashboard/events/{ids.events['e1']}", {}),  # an Innovation event
            (f"/dashboard/surveys/{ids.surveys['s1']}", {}),  # a survey for everyone
        ):
            assert (await client.get(path, params=params)).status_code == 403, path
        allowed = await client.get(f"/dashboard/events/{ids.events['e3']}")
        assert allowed.status_code == 200 and "Reunión Talento dual" in allowed.text
        csv = await client.get("/dashboard/events.csv", params={"period": "2026-10"})
        assert "Feria sin asistentes" in csv.text and "Foro de innovación" not in csv.text

        await harness.db.execute(
            "UPDATE members SET role = 'member' WHERE id = ?", (ids.members["carlos"],)
        )
        demoted = await client.get("/dashboard")
        assert demoted.status_code == 403 and "coordinadores" in demoted.text
        await harness.db.execute(
            "UPDATE members SET role = 'coordinator' WHERE id = ?", (ids.members["carlos"],)
        )
        assert (await client.get("/dashboard")).status_code == 401  # the session is gone


async def _member_id(harness: Harness, telegram_id: int) -> int:
    return int(
        await harness.db.fetchval(
            "SELECT id FROM members WHERE telegram_user_id = ?", (telegram_id,)
        )
    )


async def test_dates_are_written_in_the_readers_language(harness: Harness) -> None:
    """Events' and surveys' dates by Babel in each language, never a fixed DD/MM/YYYY."""
    await _setup(harness)
    link = await _link(harness, 900)
    async with served(harness) as client:
        assert (await client.get("/dashboard" + link)).status_code == 302
        for language, date in (
            ("es", "10 oct 2026, 12:00"),
            ("en", "Oct 10, 2026, 12:00"),
            ("ja", "2026年10月10日 12:00"),
            ("de", "10. Okt. 2026, 12:00"),
        ):
            params = {"period": "2026-10", "lang": language}
            events = await client.get("/dashboard/events", params=params)
            assert date in events.text and "10/10/2026" not in events.text, language


async def test_the_dashboard_speaks_each_language_the_bot_speaks(harness: Harness) -> None:
    """A Japanese admin reads it in Japanese (her stored language), dates included; the switch
    offers the four languages, each named in itself, and keeps the page, scope and period."""
    ids = await _setup(harness)
    await harness.db.execute(
        "UPDATE members SET language = 'ja' WHERE id = ?", (ids.members["laura"],)
    )
    link = await _link(harness, 900)
    async with served(harness) as client:
        assert (await client.get("/dashboard" + link)).status_code == 302
        page = await client.get("/dashboard")
        assert '<html lang="ja">' in page.text and "クラスター全体 · 2026年10月" in page.text
        title = Translator("ja").label(CHART_TITLES["participants"])
        assert f'<img class="chart" alt="{title}"' in page.text  # the pictures' names too
        switch = re.search(r'<nav class="langs"[^>]*>(.*?)</nav>', page.text)
        assert switch is not None
        names = re.findall(r'hreflang="(\w+)"[^>]*>([^<]+)</a>', switch.group(1))
        assert names == [("es", "Español"), ("en", "English"), ("ja", "日本語"), ("de", "Deutsch")]
        assert 'class="on" aria-current="true" lang="ja"' in switch.group(1)
        events = await client.get("/dashboard/events", params={"period": "2026-10"})
        assert "2026年10月10日 12:00" in events.text and "10/10/2026" not in events.text
        assert 'href="?scope=cluster&amp;period=2026-10&amp;lang=de"' in events.text

        german = await client.get("/dashboard/events", params={"period": "2026-10", "lang": "de"})
        assert "Veranstaltungen und Treffen · 🌐 Gesamter Cluster · Oktober 2026" in german.text
        assert "10. Okt. 2026, 12:00" in german.text
        assert 'class="on" aria-current="true" lang="de"' in german.text
        spanish = await client.get("/dashboard/events", params={"period": "2026-10", "lang": "es"})
        assert "10 oct 2026, 12:00" in spanish.text and "Octubre de 2026" in spanish.text
        english = await client.get("/dashboard/events", params={"period": "2026-10", "lang": "en"})
        assert "Oct 10, 2026, 12:00" in english.text
        assert "Whole cluster" in (await client.get("/dashboard")).text  # the choice is kept
        goodbye = await client.get("/dashboard/logout")
        assert "You have signed out." in goodbye.text  # in the language chosen on the dashboard
    async with served(harness) as client:  # a browser that never chose one
        assert (await client.get("/dashboard" + await _link(harness, 900))).status_code == 302
        goodbye = await client.get("/dashboard/logout")
        assert "ログアウトしました" in goodbye.text, goodbye.text  # her stored language
