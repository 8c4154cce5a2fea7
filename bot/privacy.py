"""The privacy notice (LFPDPPP). Its version is stored with each member's consent:
change the text, raise the version, and members are asked to accept it again."""

from __future__ import annotations

from bot.i18n import Translator

PRIVACY_VERSION = "2026-11"


def short_notice(t: Translator) -> str:
    return t(
        "🔒 <b>Privacy notice</b> (version {version})\n\n"
        "CLIA uses your name, organization, job title, e-mail and, if you share it, your "
        "phone number to manage your membership, tell you about events and surveys of the "
        "axes you choose, and prepare statistics for the cluster. Your data is not sold or "
        "shared outside the cluster.\n\n"
        "You can see, correct, export or delete your data at any time (/profile, /mydata, "
        "/forget) and stop announcements (/notifications). The full notice: /privacy\n\n"
        "Do you accept?",
        version=PRIVACY_VERSION,
    )


def full_notice(t: Translator) -> str:
    return t(
        "🔒 <b>Privacy notice of the CLIA member bot</b> (version {version})\n\n"
        "<b>Who is responsible.</b> Clúster de Industriales de Aguascalientes (CLIA), a civil "
        "association in Aguascalientes, Mexico, is responsible for your personal data under "
        "the Federal Law on the Protection of Personal Data Held by Private Parties "
        "(LFPDPPP).\n\n"
        "<b>What we collect.</b> Your Telegram user id, full name, organization, job title, "
        "work e-mail, your phone number if you share it, the strategic axes you follow, your "
        "language, your answers to events (RSVPs and attendance) and to surveys. Anonymous "
        "survey answers are stored so that they cannot be linked to you.\n\n"
        "<b>What for.</b> To manage your membership of the cluster; to send you "
        "announcements, events, working-group meetings and surveys of your axes; to let "
        "coordinators organise events; and to prepare statistics about the cluster's "
        "activity. We do not use your data for any other purpose.\n\n"
        "<b>Who sees it.</b> CLIA's coordinators and administrators. It is not sold and not "
        "transferred to third parties, except where a law requires it. Messages travel "
        "through Telegram.\n\n"
        "<b>Your ARCO rights.</b> Access: /mydata sends you everything stored about you. "
        "Rectification: /profile lets you correct any field. Cancellation: /forget deletes "
        "your personal data. Opposition: /notifications stops announcements per axis or "
        "entirely. For anything else, write to a CLIA coordinator.\n\n"
        "<b>Changes.</b> If this notice changes, the bot will ask you to accept the new "
        "version.",
        version=PRIVACY_VERSION,
    )
