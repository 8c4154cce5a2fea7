"""The dashboard on the bot's web server: read-only pages for coordinators and admins.

A session starts only from a /dashboard link (`/dashboard/login?t=…`: one use, 15 minutes) and
lives in an HttpOnly, SameSite=Strict cookie. Every request reads the session and the person's
row again: who lost the role loses the dashboard, and a coordinator limited to axes gets only
those axes (the narrower of what the link was issued for and what holds now), in pages, charts
and CSV files alike. Figures come from the v_impact_* views, as in the chat.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import tornado.web

from bot.i18n import Translator
from bot.roles import effective_role
from bot.services import Services
from bot.web import BotRequestHandler
from handlers.impact import pages
from handlers.impact.scopes import current_scopes, scopes_for
from handlers.impact.text import (
    CHART_TITLES,
    composition_text,
    lines,
    period_name,
    scope_name,
)
from storage.repositories.impact.access import SESSION_LIFETIME, DashboardAccess
from storage.repositories.impact.figures import ImpactRepository, Indicators, Table, indicator_names
from storage.repositories.impact.periods import Period

log = logging.getLogger(__name__)

COOKIE = "clia_dashboard"
LANGUAGE_COOKIE = "clia_language"
ROUTE = r"/dashboard(/.*)?"


@dataclass(frozen=True)
class Viewer:
    member_id: int
    scopes: tuple[str, ...]
    t: Translator


class Dashboard(BotRequestHandler):
    """Every /dashboard path; GET only (the dashboard changes nothing)."""

    SUPPORTED_METHODS = ("GET",)

    def set_default_headers(self) -> None:
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            " base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def log_exception(self, *args: Any) -> None:
        """Refusals (HTTPError) are expected; real failures are logged once."""
        if args and isinstance(args[1], tornado.web.HTTPError):
            return
        super().log_exception(*args)

    @property
    def services(self) -> Services:
        app = self.bot_app
        services = app.bot_data.services if app is not None else None
        if services is None or not services.db.is_open:
            raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE)
        return services  # type: ignore[no-any-return]

    # --- who is asking ------------------------------------------------------------------------

    def _translator(self, language: str | None) -> Translator:
        i18n = self.services.i18n
        chosen = self.get_argument("lang", None) or self.get_cookie(LANGUAGE_COOKIE)
        if chosen in i18n.languages:
            if self.get_argument("lang", None):
                self.set_cookie(LANGUAGE_COOKIE, chosen, path="/dashboard", samesite="Strict")
            return i18n.get(chosen)
        return i18n.get(i18n.resolve(language, self.request.headers.get("Accept-Language")))

    async def _viewer(self) -> Viewer | None:
        """The person of this session with the scopes they may see now; None (and the refusal
        page sent) when there is no valid session or the person lost the role."""
        services = self.services
        token = self.get_cookie(COOKIE)
        access = DashboardAccess(services.db)
        grant = await access.session(token, services.clock()) if token else None
        member = await services.repos.members.by_id(grant.member_id) if grant else None
        if grant is None or member is None:
            self._refuse(HTTPStatus.UNAUTHORIZED, self._translator(None))
            return None
        t = self._translator(member.language)
        role = effective_role(member, member.telegram_user_id, services.settings.admin_ids)
        now = await current_scopes(services.repos, role, member.id)
        issued = await scopes_for(services.repos, grant.role, grant.axis_ids)
        scopes = tuple(s for s in now if s in issued)
        if not scopes:
            await access.end_sessions_of(member.id)
            self.clear_cookie(COOKIE, path="/dashboard")
            self._refuse(HTTPStatus.FORBIDDEN, t)
            return None
        return Viewer(member.id, scopes, t)

    def _refuse(self, status: HTTPStatus, t: Translator) -> None:
        self.set_status(status)
        if status == HTTPStatus.FORBIDDEN:
            text = t.label("The dashboard is for cluster coordinators and administrators.")
        else:
            text = t.label("Your session has ended or this link is no longer valid.")
        hint = t.label("Send /dashboard to the bot for a new personal link.")
        self.finish(pages.message_page(t, t.label("Impact dashboard"), text, hint))

    def _choice(self, viewer: Viewer) -> tuple[str, Period, Period]:
        """The scope and period asked for (refused when not the viewer's), and the latest."""
        tz = self.services.settings.tz
        scope = self.get_argument("scope", viewer.scopes[0])
        if scope not in viewer.scopes:
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        now = self.services.clock()
        period = Period.parse(self.get_argument("period", "")) or Period.containing(
            "month", now, tz
        )
        latest = Period.containing(period.kind, now, tz)
        return scope, min(period, latest), latest

    # --- pages --------------------------------------------------------------------------------

    async def get(self, path: str | None) -> None:
        path = (path or "").rstrip("/")
        if path == "/login":
            await self._login()
            return
        if path.startswith("/assets/"):
            self._asset(path.removeprefix("/assets/"))
            return
        if path == "/logout":
            await self._logout()
            return
        viewer = await self._viewer()
        if viewer is None:
            return
        repo = ImpactRepository(self.services.db, self.services.settings.tz)
        if path == "":
            await self._overview(viewer, repo)
        elif path in ("/indicators.csv", "/organizations.csv", "/events.csv", "/surveys.csv"):
            await self._csv(viewer, repo, path.removeprefix("/").removesuffix(".csv"))
        elif path in ("/organizations", "/events", "/surveys"):
            await self._table_page(viewer, repo, path)
        elif path.startswith("/events/") and path.removeprefix("/events/").isdigit():
            await self._event(viewer, repo, int(path.removeprefix("/events/")))
        elif path.startswith("/surveys/") and path.removeprefix("/surveys/").isdigit():
            await self._survey(viewer, repo, int(path.removeprefix("/surveys/")))
        else:
            raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)

    async def _login(self) -> None:
        services = self.services
        opened = await DashboardAccess(services.db).open_session(
            self.get_argument("t", ""), services.clock()
        )
        if opened is None:
            self._refuse(HTTPStatus.UNAUTHORIZED, self._translator(None))
            return
        token, _grant = opened
        self.set_cookie(
            COOKIE,
            token,
            path="/dashboard",
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
            max_age=int(SESSION_LIFETIME.total_seconds()),
        )
        self.redirect("/dashboard")

    async def _logout(self) -> None:
        """End the session; the goodbye is in the person's language, as the pages were."""
        services = self.services
        token = self.get_cookie(COOKIE)
        language = None
        if token:
            access = DashboardAccess(services.db)
            grant = await access.session(token, services.clock())
            member = await services.repos.members.by_id(grant.member_id) if grant else None
            language = member.language if member else None
            await access.end_session(token)
        self.clear_cookie(COOKIE, path="/dashboard")
        t = self._translator(language)
        self.finish(
            pages.message_page(t, t.label("Impact dashboard"), t.label("You have signed out."))
        )

    def _asset(self, name: str) -> None:
        if name == "dashboard.css":
            self.set_header("Content-Type", "text/css; charset=utf-8")
            self.finish(pages.CSS)
        elif name == "dashboard.js":
            self.set_header("Content-Type", "text/javascript; charset=utf-8")
            self.finish(pages.JS)
        else:
            raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)

    def _page(
        self,
        viewer: Viewer,
        title: str,
        body: str,
        page: str,
        scope: str,
        period: Period,
        latest: Period,
    ) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            pages.layout(
                viewer.t,
                title,
                body,
                scopes=viewer.scopes,
                scope=scope,
                period=period,
                page=page,
                latest=latest,
                tz=self.services.settings.tz,
            )
        )

    async def _overview(self, viewer: Viewer, repo: ImpactRepository) -> None:
        from handlers.impact.charts import CHARTS, chart  # matplotlib loads on first use

        scope, period, latest = self._choice(viewer)
        t = viewer.t
        impact = await repo.impact(period, scope)
        svgs = [(t.label(CHART_TITLES[kind]), chart(kind, t, impact, "svg")) for kind in CHARTS]
        body = pages.overview(t, scope, period, lines(t, impact), svgs, composition_text(t, impact))
        title = f"{scope_name(t, scope)} · {period_name(t, period)}"
        self._page(viewer, title, body, "", scope, period, latest)

    async def _table_of(self, viewer: Viewer, repo: ImpactRepository, name: str) -> Table:
        scope, period, _latest = self._choice(viewer)
        if name == "organizations":
            return await repo.organizations(period, scope)
        if name == "events":
            return await repo.events(period, scope)
        if name == "surveys":
            return await repo.surveys(period, scope)
        impact = await repo.impact(period, scope)
        columns = ("period_kind", "period", "scope", *indicator_names())
        rows = [impact.current, impact.previous] + [
            m
            for m in impact.months
            if m.period not in (impact.current.period, impact.previous.period)
        ]
        return Table(columns, tuple(_indicator_row(i) for i in rows))

    async def _table_page(self, viewer: Viewer, repo: ImpactRepository, path: str) -> None:
        scope, period, latest = self._choice(viewer)
        name = path.removeprefix("/")
        data = await self._table_of(viewer, repo, name)
        t = viewer.t
        titles = {
            "organizations": t.label("Participation by organization"),
            "events": t.label("Events and meetings"),
            "surveys": t.label("Surveys"),
        }
        csv_href = f"{pages.BASE}/{name}.csv{pages.query(scope, period)}"
        links = {
            "events": {"event_id": pages.BASE + "/events/{}" + pages.query(scope, period)},
            "surveys": {"survey_id": pages.BASE + "/surveys/{}" + pages.query(scope, period)},
        }.get(name, {})
        body = pages.table(t, data, self.services.settings.tz, csv_href, links)
        title = f"{titles[name]} · {scope_name(t, scope)} · {period_name(t, period)}"
        self._page(viewer, title, body, path, scope, period, latest)

    async def _csv(self, viewer: Viewer, repo: ImpactRepository, name: str) -> None:
        scope, period, _latest = self._choice(viewer)
        data = await self._table_of(viewer, repo, name)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(data.columns)
        writer.writerows(data.rows)
        filename = f"impact-{name}-{scope}-{period.label}.csv"
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.finish(("\ufeff" + buffer.getvalue()).encode("utf-8"))  # BOM: Excel reads UTF-8

    async def _event(self, viewer: Viewer, repo: ImpactRepository, event_id: int) -> None:
        scope, period, latest = self._choice(viewer)
        row = await repo.event(event_id)
        if row is None:
            raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)
        if "cluster" not in viewer.scopes and row["axis"] not in viewer.scopes:
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        t, tz = viewer.t, self.services.settings.tz
        shown = {c: pages.cell(t, c, row[c], tz)[0] for c in row}
        pairs = [
            (t.label(pages.COLUMN_NAMES.get(c, c)), shown[c])
            for c in (
                "starts_at",
                "kind",
                "axis",
                "working_group",
                "status",
                "going",
                "maybe",
                "declined",
                "checked_in",
                "no_shows",
                "conversion_pct",
            )
        ]
        self._page(
            viewer, str(row["title"]), pages.facts(t, pairs), "/events", scope, period, latest
        )

    async def _survey(self, viewer: Viewer, repo: ImpactRepository, survey_id: int) -> None:
        scope, period, latest = self._choice(viewer)
        row = await repo.survey(survey_id)
        if row is None:
            raise tornado.web.HTTPError(HTTPStatus.NOT_FOUND)
        if not await repo.survey_scopes(survey_id) & set(viewer.scopes):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        t, tz = viewer.t, self.services.settings.tz
        shown = {c: pages.cell(t, c, row[c], tz)[0] for c in row}
        pairs = [
            (t.label(pages.COLUMN_NAMES.get(c, c)), shown[c])
            for c in (
                "opened_at",
                "status",
                "invited",
                "completed",
                "response_pct",
                "nps_answers",
                "nps",
            )
        ]
        pairs.append((t.label("Promoters (9–10)"), shown["promoters"]))
        pairs.append((t.label("Detractors (0–6)"), shown["detractors"]))
        self._page(
            viewer, str(row["title"]), pages.facts(t, pairs), "/surveys", scope, period, latest
        )


def _indicator_row(indicators: Indicators) -> tuple[Any, ...]:
    return (
        indicators.period.kind,
        indicators.period.label,
        indicators.scope,
        *(getattr(indicators, name) for name in indicator_names()),
    )
