"""A member's own time zone, set from /profile (a step of the member form in profile mode).

Times are always shown in Aguascalientes time; a member who sets a zone that differs sees
theirs as well (`18:00 Aguascalientes · 09:00 (+1) Tokio`), and a coordinator's typed dates
are read in it. The zones usual for the member's language are offered as buttons (Tokyo for
Japanese, Berlin for German, four US zones for English); any other is typed, as an IANA name
(`Asia/Tokyo`) or a city (`Tokio`, `東京`), and checked against the system's zone database.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot.context import Ctx
from bot.when import OFFERED_ZONES, SUGGESTED_ZONES, city_name, find_zone
from handlers.core.forms import say
from handlers.members.asking import proceed
from handlers.members.form_base import button, current_member
from handlers.members.steps import TIME_ZONE

EXAMPLES = "Asia/Tokyo, Europe/Berlin, America/Chicago"


async def ask_time_zone(update: Update, context: Ctx) -> None:
    """The zones usual for the member's language, Aguascalientes only, or type one."""
    _ = context.t
    member = await current_member(update, context)
    reader = context.reader
    current = member.time_zone if member else None
    rows = [
        [button("🕒 " + city_name(key, _.locale), "tz", OFFERED_ZONES.index(key))]
        for key in SUGGESTED_ZONES.get(_.language, ())
        if key != current
    ]
    rows.append([button(_.label("🇲🇽 Aguascalientes time only"), "tz", "home")])
    await say(
        update,
        context,
        _(
            "🕒 <b>Your time zone</b>: {zone}\n\nTimes are always shown in Aguascalientes "
            "time; if you set your own zone, you see yours next to it, and the dates you "
            "type are read in it. Choose one below or type its name, for example {examples}.",
            zone=reader.zone_label(current),
            examples=EXAMPLES,
        ),
        InlineKeyboardMarkup(rows),
    )


async def _store(update: Update, context: Ctx, zone: ZoneInfo | None) -> str | int:
    member = await current_member(update, context)
    assert member is not None
    home = context.services.settings.tz
    key = None if zone is None or zone.key == home.key else zone.key
    await context.services.repos.members.set_time_zone(member.id, key, context.now())
    await say(
        update,
        context,
        context.t("✅ Time zone: {zone}.", zone=context.reader.zone_label(key)),
    )
    return await proceed(update, context)


async def chose_zone(update: Update, context: Ctx) -> str | int:
    """A zone button (its position among the offered zones) or Aguascalientes only."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    choice = query.data.split(":")[2]
    zone = None if choice == "home" else ZoneInfo(OFFERED_ZONES[int(choice)])
    return await _store(update, context, zone)


async def typed_zone(update: Update, context: Ctx) -> str | int:
    """A typed IANA name or city, checked; an unknown one is explained and asked again."""
    assert update.message is not None and update.message.text is not None
    zone = find_zone(update.message.text, context.t.language)
    if zone is None:
        await say(
            update,
            context,
            context.t(
                "I do not know that time zone. Type its IANA name or its city, for example "
                "{examples}.",
                examples=EXAMPLES,
            ),
        )
        return TIME_ZONE
    return await _store(update, context, zone)
