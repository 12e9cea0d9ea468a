"""Notification policies: which events notify whom, on which channel, when, in which form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from uuid import UUID, uuid4

from services.notifications.domain.template_keys import template_event
from services.notifications.domain.timing import SendWindow
from shared.errors import Problems

# `consultant` is the consultant assigned to the pupil; `all_consultants` every active
# consultant of the partnership, whether or not one is assigned (asked of the cases service only
# when a policy names it). `admin`: the partnership's administrators (beheerders), for what only
# they can put right.
ALL_CONSULTANTS = "all_consultants"
ROLES = ("guardian", "teacher", "coordinator", "consultant", ALL_CONSULTANTS, "director", "admin")
# The roles an escalation may go to: staff, and the partnership's administrators (a deadline of
# the partnership's own, such as the decision on a TLV application, is theirs to chase).
STAFF = ("teacher", "coordinator", "consultant", ALL_CONSULTANTS, "director", "admin")
PERSONAL_CHANNELS = ("email", "sms")
# How an e-mail about a compiled periodic report (`report.ready`) brings it: a link to the reports
# service, or the report itself as a PDF attachment (the link stays in the text).
REPORT_DELIVERIES = ("link", "attachment")
REPORT_EVENT = "report.ready"

# Event types whose notifications are reminders before a date, and the payload field of that date.
DUE_DATE_FIELD = {
    "intervention.started": "evaluate_by",
    "intervention.evaluation_approaching": "evaluate_by",
    "development_plan.evaluation_scheduled": "due_on",
    "development_plan.evaluation_rescheduled": "due_on",
    "development_plan.evaluation_approaching": "due_on",
    "referral.admission_statement_recorded": "valid_until",
    "referral.admission_statement_expiring": "valid_until",
    "referral.submitted": "decide_by",
    "support_profile.published": "review_by",
    "support_profile.expiring": "review_by",
}
OVERDUE_EVENTS = ("intervention.evaluation_overdue", "development_plan.evaluation_overdue")
# Event types whose date is a deadline: a reminder policy on one (with lead times) also tells its
# recipients once the date has passed (kind `overdue`, the day after, template `<type>.overdue`)
# and, with `escalate_after_days`, `escalate_to` that many days after the date (`escalation`).
# The event that meets the deadline cancels what is still pending (service_layer CANCELS).
DEADLINE_EVENTS = ("referral.submitted",)


# Event types that notify at once (the meeting's calendar invitation) and, with lead times, also
# plan reminders counted back from an instant: the payload field of the meeting's start.
MEETING_START_FIELD = {
    "development_plan.meeting_planned": "starts_at",
    "development_plan.meeting_moved": "starts_at",
}


@dataclass
class Policy:
    """An administrator's rule. `school_id` None means partnership-wide; a school's policy with
    the same `key` overrides the partnership's for that school."""

    partnership_id: UUID
    key: str
    name: str
    event_types: list[str]
    recipient_roles: list[str]
    channels: dict[str, list[str]]
    lead_times_days: list[int] = field(default_factory=list)
    send_hour: int = 8
    quiet_start: time | None = time(20, 0)
    quiet_end: time | None = time(7, 0)
    skip_weekends: bool = True
    skip_holidays: bool = True
    # Goede Vrijdag is no national day off; a policy of schools that close then says so.
    skip_good_friday: bool = False
    delivery: str = "immediate"  # or "digest" (staff only)
    escalate_after_days: int | None = None
    escalate_to: list[str] = field(default_factory=list)
    group_urls: list[str] = field(default_factory=list)  # encrypted at rest by the adapter
    critical: bool = False
    report_delivery: str = "link"  # or "attachment" (policies on report.ready only)
    # Own texts: {template key: {"nl"|"en": [subject, body]}}; keys are the policy's event
    # types, or "<event type>.lead" / "<event type>.escalation" for reminders and escalations.
    templates: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    enabled: bool = True
    school_id: UUID | None = None
    id: UUID = field(default_factory=uuid4)

    @property
    def window(self) -> SendWindow:
        return SendWindow(
            self.send_hour,
            self.quiet_start,
            self.quiet_end,
            self.skip_weekends,
            self.skip_holidays,
            self.skip_good_friday,
        )

    def is_reminder(self, event_type: str) -> bool:
        """Whether this event plans reminders before a date rather than one message now."""
        return bool(self.lead_times_days) and event_type in DUE_DATE_FIELD

    def reminds_of_meeting(self, event_type: str) -> bool:
        """Whether this event, besides its message now, plans reminders before a meeting."""
        return bool(self.lead_times_days) and event_type in MEETING_START_FIELD

    def attaches_report(self, event_type: str, channel: str) -> bool:
        """Whether an e-mail of this event carries the compiled report as a PDF (group channels
        and SMS never do: they get the link only)."""
        return (
            self.report_delivery == "attachment"
            and event_type == REPORT_EVENT
            and channel == "email"
        )

    def validate(self, known_event_types: set[str]) -> None:
        """Raise RuleViolation listing everything that makes no sense."""
        p = Problems()
        self._validate_recipients(p, known_event_types)
        self._validate_timing(p)
        self._validate_delivery(p)
        self._validate_templates(p)
        p.raise_if_any("The policy makes no sense as given.")

    def _validate_recipients(self, p: Problems, known_event_types: set[str]) -> None:
        """Its event types, recipient roles and their channels."""
        for t in self.event_types:
            p.check(t in known_event_types, "event_types", f"Unknown event type '{t}'.")
        p.check(bool(self.event_types), "event_types", "Name at least one event type.")
        for role in self.recipient_roles:
            p.check(role in ROLES, "recipient_roles", f"Unknown role '{role}'.")
        p.check(
            bool(self.recipient_roles) or bool(self.group_urls),
            "recipient_roles",
            "Name at least one recipient role or group channel.",
        )
        for role, channels in self.channels.items():
            p.check(role in self.recipient_roles, "channels", f"'{role}' is not a recipient.")
            for channel in channels:
                p.check(
                    channel in PERSONAL_CHANNELS,
                    "channels",
                    f"Unknown channel '{channel}' (use email or sms; group channels are "
                    "Apprise URLs in group_urls).",
                )
        for role in self.recipient_roles:
            p.check(bool(self.channels.get(role)), "channels", f"Give '{role}' a channel.")

    def _validate_timing(self, p: Problems) -> None:
        """Its lead times, send hour and quiet hours."""
        for lead in self.lead_times_days:
            p.check(0 <= lead <= 365, "lead_times_days", "Lead times are 0 to 365 days.")
        p.check(
            len(set(self.lead_times_days)) == len(self.lead_times_days),
            "lead_times_days",
            "Lead times must differ.",
        )
        if self.lead_times_days:
            dated = [t for t in self.event_types if t in DUE_DATE_FIELD or t in MEETING_START_FIELD]
            p.check(
                bool(dated), "lead_times_days", "Lead times need an event type with a due date."
            )
        p.check(0 <= self.send_hour <= 23, "send_hour", "An hour from 0 to 23.")
        p.check(
            (self.quiet_start is None) == (self.quiet_end is None),
            "quiet_hours",
            "Give both the start and the end of the quiet hours, or neither.",
        )
        p.check(
            not self.window.covers_whole_day(),
            "quiet_hours",
            "Quiet hours cannot cover the whole day.",
        )
        if self.quiet_start is not None and not self.critical and 0 <= self.send_hour <= 23:
            p.check(
                not self.window.in_quiet_hours(time(self.send_hour)),
                "send_hour",
                "The send hour falls in the quiet hours.",
            )

    def _validate_delivery(self, p: Problems) -> None:
        """One by one or as a digest, its escalation and its report."""
        p.check(self.delivery in ("immediate", "digest"), "delivery", "immediate or digest.")
        p.check(
            self.delivery != "digest" or "guardian" not in self.recipient_roles,
            "delivery",
            "Digests are for staff; parents get their messages one by one.",
        )
        if self.escalate_after_days is not None:
            self._validate_escalation(p, self.escalate_after_days)
        p.check(self.report_delivery in REPORT_DELIVERIES, "report_delivery", "link or attachment.")
        p.check(
            self.report_delivery != "attachment" or REPORT_EVENT in self.event_types,
            "report_delivery",
            "A report is attached only to messages about report.ready.",
        )

    def _validate_escalation(self, p: Problems, days: int) -> None:
        p.check(1 <= days <= 90, "escalate_after_days", "1 to 90 days.")
        deadline = bool(self.lead_times_days) and any(
            t in DEADLINE_EVENTS for t in self.event_types
        )
        p.check(
            deadline or any(t in OVERDUE_EVENTS for t in self.event_types),
            "escalate_after_days",
            "Escalation follows an *_overdue event type, or a deadline "
            f"({', '.join(DEADLINE_EVENTS)}) with lead times.",
        )
        for role in self.escalate_to:
            p.check(role in STAFF, "escalate_to", f"'{role}' is not a staff role.")

    def _validate_templates(self, p: Problems) -> None:
        from services.notifications.domain.templates import check_override

        for key, languages in self.templates.items():
            p.check(
                template_event(key) in self.event_types,
                "templates",
                f"'{key}' is not an event of this policy (use an event type, or "
                "<event type>.lead / .overdue / .escalation / .parents).",
            )
            for language, pair in languages.items():
                if language not in ("nl", "en") or len(pair) != 2:
                    p.add("templates", f"'{key}': give [subject, body] per language nl or en.")
                    continue
                problem = check_override(key, language, pair[0], pair[1])
                p.check(problem is None, "templates", f"'{key}' ({language}): {problem}")


def default_policies(partnership_id: UUID) -> list[Policy]:
    """The coherent defaults a new partnership gets. Reminders are planned from the scheduled
    date with lead times; the `*_approaching` events are therefore not used by default, so each
    lead time sends exactly one reminder."""
    return [
        *_support_policies(partnership_id),
        *_evaluation_policies(partnership_id),
        *_staff_notice_policies(partnership_id),
        *_legal_rule_policies(partnership_id),
        *_tlv_policies(partnership_id),
    ]


def _staff_email() -> dict[str, list[str]]:
    return {
        "teacher": ["email"],
        "coordinator": ["email"],
        "consultant": ["email"],
        "director": ["email"],
    }


def _support_policies(partnership_id: UUID) -> list[Policy]:
    """The defaults about a case's support: its start, plan, consent and evaluations."""
    staff_email = _staff_email()
    mk = Policy
    return [
        mk(
            partnership_id,
            "support_started",
            "Start van ondersteuning",
            ["intervention.started"],
            ["guardian", "teacher"],
            {"guardian": ["email"], "teacher": ["email"]},
        ),
        mk(
            partnership_id,
            "intervention_evaluation",
            "Evaluatie interventie nadert",
            ["intervention.started"],
            ["teacher", "coordinator"],
            {k: staff_email[k] for k in ("teacher", "coordinator")},
            lead_times_days=[7, 0],
        ),
        mk(
            partnership_id,
            "plan_created",
            "OPP opgesteld",
            ["development_plan.created"],
            ["coordinator", "teacher", "consultant"],
            {k: staff_email[k] for k in ("coordinator", "teacher", "consultant")},
        ),
        mk(
            partnership_id,
            "consent_requested",
            "Toestemming ouders gevraagd",
            ["development_plan.consent_requested"],
            ["guardian"],
            {"guardian": ["email"]},
            critical=True,
        ),
    ]


def _evaluation_policies(partnership_id: UUID) -> list[Policy]:
    """The defaults about a plan's evaluations: the meeting, its reminders, one overdue."""
    mk = Policy
    return [
        mk(
            partnership_id,
            "plan_evaluation",
            "Evaluatiegesprek OPP",
            ["development_plan.evaluation_scheduled", "development_plan.evaluation_rescheduled"],
            ["guardian", "coordinator", "teacher"],
            {"guardian": ["email"], "coordinator": ["email"], "teacher": ["email"]},
            lead_times_days=[14, 3, 0],
        ),
        mk(
            partnership_id,
            "evaluation_meeting",
            "Uitnodiging evaluatiegesprek OPP",
            [
                "development_plan.meeting_planned",
                "development_plan.meeting_moved",
                "development_plan.meeting_cancelled",
            ],
            ["guardian", "coordinator", "teacher"],
            {"guardian": ["email"], "coordinator": ["email"], "teacher": ["email"]},
            # The invitation at once, and a reminder the day before the meeting (send hour).
            lead_times_days=[1],
        ),
        mk(
            partnership_id,
            "evaluation_overdue",
            "Evaluatie verlopen",
            list(OVERDUE_EVENTS),
            ["coordinator"],
            {"coordinator": ["email"]},
            escalate_after_days=7,
            escalate_to=["director", "consultant"],
        ),
    ]


def _staff_notice_policies(partnership_id: UUID) -> list[Policy]:
    """The defaults that tell staff of dates and documents: TLVs ending, reports, deadlines,
    pupils who left, the support profile's review."""
    staff_email = _staff_email()
    mk = Policy
    return [
        mk(
            partnership_id,
            "admission_statement_ending",
            "TLV loopt af",
            ["referral.admission_statement_recorded"],
            ["coordinator", "consultant"],
            {k: staff_email[k] for k in ("coordinator", "consultant")},
            lead_times_days=[90, 30],
        ),
        mk(
            partnership_id,
            "report_ready",
            "Periodiek opbrengstenrapport",
            ["report.ready"],
            ["coordinator", "director"],
            {k: staff_email[k] for k in ("coordinator", "director")},
        ),
        # Rule 5: the plan deadline of a case (6 weeks after a new pupil's enrolment).
        mk(
            partnership_id,
            "plan_deadline",
            "Termijn OPP",
            ["case.plan_deadline_approaching", "case.plan_overdue"],
            ["coordinator"],
            {"coordinator": ["email"]},
        ),
        # Rule 9: a pupil who left with a case open keeps their data until the case is closed.
        mk(
            partnership_id,
            "left_with_open_case",
            "Leerling vertrokken met open traject",
            ["pupil.left_with_open_case"],
            ["coordinator", "admin"],
            {k: ["email"] for k in ("coordinator", "admin")},
        ),
        mk(
            partnership_id,
            "support_profile_review",
            "Herziening schoolondersteuningsprofiel",
            ["support_profile.published"],
            ["coordinator", "director"],
            {k: staff_email[k] for k in ("coordinator", "director")},
            lead_times_days=[90, 30],
        ),
    ]


# Default policies added after partnerships already had theirs: a partnership that lacks one of
# these keys gets it (policies are never deleted, only disabled, so a missing key was never there).
LATER_DEFAULT_KEYS = (
    "evaluation_missing",
    "outside_support_profile",
    "plan_deadline",
    "left_with_open_case",
    "tlv_decision_deadline",
    "tlv_school_notices",
    "tlv_decided_parents",
)


def _tlv_policies(partnership_id: UUID) -> list[Policy]:
    """Issue 14, the TLV application: the partnership's consultants are reminded of the deadline
    of the decision a week ahead, told when it has passed, and the administrators a week after
    that; the school's coordinator hears when the application is ready for the decision and when
    it is decided; the parents get the decision's message (critical: it starts the six weeks in
    which they may object, so an opt-out of informational messages does not hold it back)."""
    return [
        Policy(
            partnership_id,
            "tlv_decision_deadline",
            "Termijn besluit TLV",
            ["referral.submitted"],
            [ALL_CONSULTANTS],
            {ALL_CONSULTANTS: ["email"]},
            lead_times_days=[7],
            escalate_after_days=7,
            escalate_to=["admin"],
        ),
        Policy(
            partnership_id,
            "tlv_school_notices",
            "Aanvraag TLV klaar voor besluit en besluit",
            ["referral.advice_recorded", "referral.decided"],
            ["coordinator"],
            {"coordinator": ["email"]},
        ),
        Policy(
            partnership_id,
            "tlv_decided_parents",
            "Besluit TLV aan ouders",
            ["referral.decided"],
            ["guardian"],
            {"guardian": ["email"]},
            critical=True,
        ),
    ]


def _legal_rule_policies(partnership_id: UUID) -> list[Policy]:
    """Rule 6: a plan without an evaluation this school year goes to the coordinator. Rule 8: an
    intervention outside the school's SOP goes to the partnership's consultants, also when the
    pupil has no consultant assigned."""
    return [
        Policy(
            partnership_id,
            "evaluation_missing",
            "Geen evaluatie OPP dit schooljaar",
            ["development_plan.evaluation_missing"],
            ["coordinator"],
            {"coordinator": ["email"]},
        ),
        Policy(
            partnership_id,
            "outside_support_profile",
            "Interventie buiten het SOP",
            ["intervention.outside_support_profile"],
            [ALL_CONSULTANTS],
            {ALL_CONSULTANTS: ["email"]},
        ),
    ]


SIGN_IN_EVENT = "guardian.sign_in_requested"


def built_in_policies(partnership_id: UUID) -> list[Policy]:
    """Policies no administrator switches off or edits: a guardian's sign-in link (issue 13)
    goes out at once, day and night (critical: no quiet hours, weekends or holidays), by e-mail
    to that guardian alone."""
    return [
        Policy(
            partnership_id,
            "guardian_sign_in",
            "Inloglink ouders",
            [SIGN_IN_EVENT],
            ["guardian"],
            {"guardian": ["email"]},
            quiet_start=None,
            quiet_end=None,
            skip_weekends=False,
            skip_holidays=False,
            critical=True,
        )
    ]


def effective_policies(policies: list[Policy], school_id: UUID | None) -> list[Policy]:
    """The enabled policies for a school: school overrides replace partnership ones by key."""
    chosen: dict[str, Policy] = {}
    for policy in sorted(policies, key=lambda p: p.school_id is not None):
        if policy.school_id is None or policy.school_id == school_id:
            chosen[policy.key] = policy
    return [p for p in chosen.values() if p.enabled]
