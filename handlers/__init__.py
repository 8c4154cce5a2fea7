"""The ONE place where handlers are registered. Order matters.

Groups run in ascending order; within a group the first matching handler wins
and a handler raising ApplicationHandlerStop ends the update.

  -3  flood control: drop the updates of someone sending dozens at once
  -2  load the caller: the member row, their role and their language
  -1  guards that end the update: edited messages (answered in private, ignored
      in groups) and button data we could never have sent
   0  features, in this order:
        reachability (my_chat_member), the community group's join requests,
        the member form (sign-up via /start and profile edits: before the common
        /start so that newcomers enter it), the broadcast, event, survey and sourcing
        forms (then the sourcing form's entry buttons tapped mid-form) and the forms'
        confirming buttons tapped again after the form ended, common commands,
        language, profile and notifications, privacy rights, coordinators' approval
        tools, admins' roles and audit log, the list of broadcasts, events (their
        lists, answers, attendance and forum topics) and working groups, survey
        answers and results, supplier development (/capabilities, /sourcing, deciding,
        suppliers' answers, the buyer's shortlist), /impact and /dashboard, admins'
        /status, the main menu, typed survey answers, and last the
        fallbacks (unknown commands, unexpected messages, expired buttons), which see
        only what no feature handler took
 100  save conversation states and user data touched by the update (persistence)

Besides handlers: features' recurring jobs (bot/jobs.py), notice renderers and deep links,
the incident listener that alerts the admins (bot/incidents.py), the web server's routes
(bot/web.py: /healthz, the impact dashboard) and the documents `clia-bot` builds
(bot/documents.py: the impact report).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot import buttons, documents, incidents, jobs, web
from bot.i18n import N_
from bot.persistence import check_conversations, flush_after_update
from bot.services import Services
from handlers.broadcasts import form as broadcast_form
from handlers.broadcasts import listing as broadcasts
from handlers.community import join_requests
from handlers.core import caller, common, errors, flood, forms, language, menu, reachability
from handlers.events import answers as event_answers
from handlers.events import attendance as event_attendance
from handlers.events import form as event_form
from handlers.events import groups
from handlers.events import listing as event_lists
from handlers.events import notices as event_notices
from handlers.events import topics as event_topics
from handlers.impact import command as impact
from handlers.impact import dashboard as impact_dashboard
from handlers.impact import monthly as impact_monthly
from handlers.impact import report as impact_report
from handlers.impact import web as impact_web
from handlers.members import (
    approval,
    asking,
    directory,
    invitations,
    privacy,
    profile,
    roles,
    signup,
)
from handlers.operations import alerts, health, status
from handlers.operations import backups as backup_job
from handlers.suppliers import approval as sourcing_approval
from handlers.suppliers import capabilities as supplier_capabilities
from handlers.suppliers import deadlines as sourcing_deadlines
from handlers.suppliers import form as sourcing_form
from handlers.suppliers import interest as sourcing_interest
from handlers.suppliers import introductions as sourcing_introductions
from handlers.suppliers import notices as sourcing_notices
from handlers.suppliers import overview as sourcing_overview
from handlers.suppliers import shortlist as sourcing_shortlist
from handlers.surveys import answering as survey_answers
from handlers.surveys import form as survey_form
from handlers.surveys import invitations as survey_invitations
from handlers.surveys import manage as survey_manage
from handlers.surveys import results as survey_results

# The main menu under the text box, in display order, and whom each item is for (members'
# features for members; a pending applicant gets their profile, privacy, help and language).
# The features own the callbacks; the menu (in core, below every feature) is given them here.
MENU = (
    menu.MenuItem(N_("📅 Events"), event_lists.list_events, menu.MEMBERS),
    menu.MenuItem(N_("📝 Surveys"), survey_invitations.my_surveys, menu.MEMBERS),
    menu.MenuItem(N_("👥 Working groups"), groups.list_groups, menu.MEMBERS),
    menu.MenuItem(N_("👤 My profile"), profile.profile, menu.SIGNED_UP),
    menu.MenuItem(N_("🔒 Privacy"), privacy.privacy, menu.EVERYONE - menu.MEMBERS),
    menu.MenuItem(N_("❓ Help"), common.help_command, menu.EVERYONE),
    menu.MenuItem(N_("🌐 Language"), language.ask_language, menu.EVERYONE),
)


def register(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    """Register every handler, job, notice renderer and deep link, and the error handler."""
    i18n = services.i18n
    menu.set_items(MENU)
    menu.MENU_BUTTON.learn(i18n)  # the forms' text steps leave menu taps alone
    application.add_handler(flood.FloodGuard().attach(application), group=-3)
    application.add_handler(TypeHandler(Update, caller.load_caller), group=-2)
    application.add_handlers(caller.guards(), group=-1)

    application.add_handlers(reachability.handlers(), group=0)
    application.add_handlers(join_requests.handlers(services.settings.community_chat_id), group=0)
    skip_labels = sorted({i18n.get(lang).label(asking.SKIP) for lang in i18n.languages})
    remove_labels = sorted({i18n.get(lang).label(asking.REMOVE_PHONE) for lang in i18n.languages})
    # The forms, each persistent; a person is in one at a time (forms.one_at_a_time).
    the_forms = [
        signup.conversation(skip_labels, remove_labels),
        broadcast_form.conversation(),
        event_form.conversation(),
        survey_form.conversation(),
        sourcing_form.conversation(),
    ]
    forms.one_at_a_time(the_forms)
    application.add_handlers(the_forms, group=0)
    application.add_handlers(sourcing_form.busy_entries(), group=0)  # its entries, mid-form
    # The forms' confirming buttons tapped again once their form ended: what they did.
    application.add_handlers(broadcast_form.done_buttons(), group=0)
    application.add_handlers(event_form.done_buttons(), group=0)
    application.add_handlers(survey_form.done_buttons(), group=0)
    application.add_handlers(common.handlers(), group=0)
    application.add_handlers(language.handlers(), group=0)
    application.add_handlers(profile.handlers(), group=0)
    application.add_handlers(privacy.handlers(), group=0)
    application.add_handlers(approval.handlers(), group=0)
    application.add_handlers(directory.handlers(), group=0)
    application.add_handlers(invitations.handlers(), group=0)
    application.add_handlers(roles.handlers(), group=0)
    application.add_handlers(broadcasts.handlers(), group=0)
    application.add_handlers(event_lists.handlers(), group=0)
    application.add_handlers(event_answers.handlers(), group=0)
    application.add_handlers(event_attendance.handlers(), group=0)
    application.add_handlers(event_topics.handlers(), group=0)
    application.add_handlers(groups.handlers(), group=0)
    application.add_handlers(survey_invitations.handlers(), group=0)  # /surveys, poll answers
    application.add_handlers(survey_answers.handlers(), group=0)  # taps on questions
    application.add_handlers(survey_results.handlers(), group=0)
    application.add_handlers(supplier_capabilities.handlers(), group=0)
    application.add_handlers(sourcing_overview.handlers(), group=0)
    application.add_handlers(sourcing_approval.handlers(), group=0)
    application.add_handlers(sourcing_interest.handlers(), group=0)
    application.add_handlers(sourcing_shortlist.handlers(), group=0)
    application.add_handlers(sourcing_introductions.handlers(), group=0)
    application.add_handlers(impact.handlers(), group=0)  # /impact and its buttons
    application.add_handlers(impact_dashboard.handlers(), group=0)  # /dashboard links
    application.add_handlers(status.handlers(), group=0)
    event_notices.register_notices_and_links()
    survey_invitations.register_notices_and_links()
    sourcing_notices.register_notices_and_mutes()
    application.add_handlers(menu.handlers(i18n), group=0)
    application.add_handlers(survey_answers.typed_answers(), group=0)  # typed survey answers
    application.add_handlers(common.fallbacks(), group=0)  # keep last
    # Taps go straight to the handlers of their button's prefix (same order, same outcome).
    buttons.index_buttons(application, group=0)

    application.add_handler(TypeHandler(Update, flush_after_update), group=100)
    check_conversations(application)  # forms save their state right after each update

    # Features' recurring jobs: each derives its work from the database, at start-up and
    # then every minute, so a restart loses nothing.
    jobs.register_repeating("event-reminders", event_notices.remind_due, interval=60)
    jobs.register_repeating("survey-closing", survey_manage.close_due, interval=60)
    jobs.register_repeating("supplier-development", sourcing_deadlines.run_due, interval=60)
    jobs.register_repeating("backups", backup_job.backup_if_due, interval=60)
    # The monthly impact report: due from the 1st at 09:00; the log in the database decides.
    jobs.register_repeating(
        "impact-report", impact_monthly.send_due, interval=impact_monthly.CHECK_EVERY
    )

    # Operations: errors reach the admins; the web server answers uptime monitors.
    incidents.register(alerts.on_incident)
    web.register_route(r"/healthz", health.HealthCheck)
    # The web server's routes (bot/web.py): the impact dashboard, read-only.
    web.register_route(impact_web.ROUTE, impact_web.Dashboard)
    documents.register("impact-report", impact_report.build_for_cli)  # `clia-bot report`

    application.add_error_handler(errors.on_error)
