"""Names of reference data shown to people, as msgids translated where shown."""

from __future__ import annotations

from bot.i18n import N_, Translator

AXIS_NAMES: dict[str, str] = {
    "innovation": N_("💡 Innovation"),
    "talent": N_("🎓 Talent"),
    "leadership": N_("🧭 Conscious Leadership"),
    "globalization": N_("🌎 Globalization"),
}

SECTOR_NAMES: dict[str, str] = {
    "oem": N_("Carmaker (OEM)"),
    "tier1": N_("Tier-1 supplier"),
    "supplier": N_("Supplier (SME)"),
    "academia": N_("University or research"),
    "government": N_("Government"),
    "other": N_("Other"),
}

STATUS_NAMES: dict[str, str] = {
    "prospect": N_("signing up"),
    "pending": N_("awaiting approval"),
    "active": N_("active"),
    "rejected": N_("not approved"),
    "left": N_("left"),
}


ACTION_NAMES: dict[str, str] = {  # the audit log's actions, as admins read them
    "member_approved": N_("approved an application"),
    "member_rejected": N_("rejected an application"),
    "member_forgotten": N_("a member deleted their data"),
    "role_changed": N_("changed a role"),
    "invitation_created": N_("created an invitation"),
    "broadcast.send": N_("sent an announcement"),
    "broadcast.schedule": N_("scheduled an announcement"),
    "broadcast.cancel": N_("cancelled an announcement"),
    "event.publish": N_("published an event"),
    "event.move": N_("moved an event"),
    "event.place": N_("changed an event's place"),
    "event.edit": N_("edited an event"),
    "event.capacity": N_("changed an event's capacity"),
    "event.cancel": N_("cancelled an event"),
    "event.check_in": N_("checked someone in"),
    "event.check_in_undone": N_("undid a check-in"),
    "group.create": N_("created a working group"),
    "group.rename": N_("renamed a working group"),
    "group.archive": N_("archived a working group"),
    "topic.bind": N_("bound a topic to an axis"),
    "survey.launch": N_("launched a survey"),
    "survey.remind": N_("sent a survey reminder"),
    "survey.export": N_("exported survey answers"),
    "survey.close": N_("closed a survey"),
    "capabilities.edit": N_("changed a capability profile"),
    "sourcing.approve": N_("approved a sourcing request"),
    "sourcing.reject": N_("rejected a sourcing request"),
    "sourcing.introduce": N_("introduced a supplier to a buyer"),
}


def action_name(t: Translator, code: str) -> str:
    return t.label(ACTION_NAMES.get(code, code))


def axis_name(t: Translator, code: str) -> str:
    return t.label(AXIS_NAMES.get(code, code))


def sector_name(t: Translator, code: str) -> str:
    return t.label(SECTOR_NAMES.get(code, code))


def status_name(t: Translator, code: str) -> str:
    return t.label(STATUS_NAMES.get(code, code))
