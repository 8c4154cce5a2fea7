"""The dashboard in a real browser (headless Chromium from Debian, driven by Playwright), in the
sandbox: an admin gets a link from the bot, opens it, follows every page, sorts a table, downloads
a CSV; the used link and a member's request are refused. Skipped, with the reason, where no
browser can be installed.

`DASHBOARD_SCREENSHOT=docs/dashboard.png` (and `DASHBOARD_PHONE_SCREENSHOT`) keep the pictures
for the README.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from tests.sandbox_driver import PagePerson, running_sandbox

playwright = pytest.importorskip("playwright.async_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"
)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
LINK = re.compile(r"http://\S+/dashboard/login\?t=[A-Za-z0-9_-]+")


async def _link(person: PagePerson) -> str:
    """A new link from the bot (the newest message holding one)."""
    before = len((await person.state())["messages"])
    await person.send("/dashboard")
    text = await person.wait(
        lambda state: next(
            (
                m["text"]
                for m in state["messages"][before:]
                if "/dashboard/login?t=" in (m.get("text") or "")
            ),
            None,
        )
    )
    found = LINK.search(text)
    assert found is not None
    return found.group(0)


async def test_the_dashboard_from_a_link_of_the_bot(tmp_path: Path) -> None:
    async with (
        running_sandbox(tmp_path) as sandbox,
        httpx.AsyncClient(base_url=sandbox.url, timeout=20) as client,
        playwright.async_playwright() as p,
    ):
        admin = PagePerson(sandbox, client, 20001)
        link = await _link(admin)
        assert link.startswith(sandbox.url + "/dashboard/login?t=")
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await browser.new_page(
            viewport={"width": 1200, "height": 900}, accept_downloads=True
        )
        await page.goto(link)
        assert page.url == sandbox.url + "/dashboard"
        await page.wait_for_selector("section.card h2 >> text=Miembros activos")
        assert await page.locator("img.chart").count() == 5
        assert await page.evaluate("document.documentElement.scrollWidth") <= 1200
        shot = tmp_path / "dashboard.png"
        await page.screenshot(path=str(shot), full_page=True)

        await page.click("a.chip:has-text('Talento')")
        await page.wait_for_selector("h1:has-text('Talento')")
        await page.click("a.tab:has-text('Organizaciones')")
        await page.wait_for_selector("h1:has-text('Participación por organización')")
        first = await page.locator("tbody tr td").first.inner_text()
        await page.click("th:nth-child(3) button")  # sort by members, ascending
        assert await page.get_attribute("th:nth-child(3)", "aria-sort") == "ascending"
        cells = await page.locator("tbody tr td:nth-child(3)").all_inner_texts()
        counts = [int(c.replace(",", "")) for c in cells]
        assert counts == sorted(counts) and first
        async with page.expect_download() as waiting:
            await page.click("a.csv")
        download = await waiting.value
        saved = tmp_path / "organizations.csv"
        await download.save_as(saved)
        assert saved.read_bytes().startswith(b"\xef\xbb\xbforganization,sector,members")

        await page.click("a.tab:has-text('Eventos')")
        await page.wait_for_selector("h1:has-text('Eventos y reuniones')")
        await page.click("tbody tr td a >> nth=0")
        await page.wait_for_selector("dt:has-text('Conversión (%)')")
        await page.click("a.tab:has-text('Encuestas')")
        await page.wait_for_selector("h1:has-text('Encuestas')")
        await page.click("a.chip:has-text('Todo el clúster')")
        await page.click("tbody tr td a >> nth=0")
        await page.wait_for_selector("dt:has-text('Promotores (9–10)')")

        phone = await browser.new_page(viewport={"width": 390, "height": 844})
        await phone.goto(await _link(admin))
        await phone.wait_for_selector("section.card h2 >> text=Miembros activos")
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone_shot = tmp_path / "dashboard-phone.png"
        await phone.screenshot(path=str(phone_shot), full_page=True)

        again = await browser.new_page(locale="es-MX")  # the refusal speaks the browser's language
        await again.goto(link)  # already used
        await again.wait_for_selector("text=ya no es válido")
        member = PagePerson(sandbox, client, 20003)
        await member.send("/dashboard")
        await member.wait_for_text("coordinadores")
        await browser.close()
    assert shot.stat().st_size > 20_000
    for variable, picture in (
        ("DASHBOARD_SCREENSHOT", shot),
        ("DASHBOARD_PHONE_SCREENSHOT", phone_shot),
    ):
        keep = os.environ.get(variable)
        if keep:
            shutil.copyfile(picture, keep)
