"""Events produced by the cases service. Payloads carry ids, codes and dates only: never names,
birth dates, goals, notes or any other free text about a pupil (DESIGN.md §3)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from shared.events.spec import EventSpec, register

LEVELS = ("basic", "extra")
OUTCOMES = ("effective", "partly_effective", "not_effective")
DECISIONS = ("continue", "back_to_basic", "refer")
CONSENT = ("agreed", "declined")
CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")
REGIONS = ("noord", "midden", "zuid")


def _schema(name: str, /, **extra: fields.Field) -> type[Schema]:  # a payload may hold `name`
    return Schema.from_dict(extra, name=name)


def _uuid() -> fields.UUID:
    return fields.UUID(required=True)


def _date() -> fields.Date:
    return fields.Date(required=True)


def _code(choices: tuple[str, ...] | None = None) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(choices) if choices else CODE)


def _event(type_: str, subject: str, doc: str, **payload: fields.Field) -> None:
    name = "".join(p.title() for p in type_.replace(".", "_").split("_")) + "Payload"
    register(EventSpec(type_, 1, subject, _schema(name, **payload), doc))


_event(
    "partnership.registered",
    "partnership",
    "A partnership (samenwerkingsverband) was created (subject: the partnership). Its name; an "
    "organisation's name is not personal data, so reports may show it.",
    name=fields.String(required=True, validate=validate.Length(min=1, max=200)),
)

_event(
    "school.registered",
    "school",
    "A school was added to the partnership (subject: the school). Its name, BRIN code and holiday "
    "region; a school's name is not personal data, so reports may show it.",
    name=fields.String(required=True, validate=validate.Length(min=1, max=200)),
    brin=fields.String(required=True, allow_none=True, validate=validate.Length(max=12)),
    region=_code(REGIONS),
)

_event(
    "pupil.enrolled",
    "pupil",
    "A pupil was registered at a school.",
    pupil_id=_uuid(),
    enrolled_on=_date(),
)

_event(
    "pupil.anonymised",
    "pupil",
    "The pupil's personal data was removed after the retention period (rule 9); other services "
    "drop what they hold about the pupil's family.",
    pupil_id=_uuid(),
    anonymised_on=_date(),
)

_event(
    "pupil.left_with_open_case",
    "pupil",
    "A pupil left the school while a case of theirs is still open: the coordinator and the "
    "administrator close it, since the pupil's data is anonymised only once every case is "
    "closed (rule 9).",
    pupil_id=_uuid(),
    case_id=_uuid(),
    left_on=_date(),
)

_event(
    "case.opened",
    "case",
    "A support case (ondersteuningstraject) was opened for a pupil.",
    case_id=_uuid(),
    pupil_id=_uuid(),
    level=_code(LEVELS),
    opened_on=_date(),
    plan_due_by=fields.Date(required=True, allow_none=True),
)
_event(
    "case.level_changed",
    "case",
    "The case moved between basic and extra support.",
    case_id=_uuid(),
    from_level=_code(LEVELS),
    to_level=_code(LEVELS),
    changed_on=_date(),
)
_event(
    "case.closed",
    "case",
    "The case was closed.",
    case_id=_uuid(),
    closed_on=_date(),
    reason=_code(),
)

_event(
    "case.plan_deadline_approaching",
    "case",
    "Rule 5: the case's deadline for a development plan (6 weeks after enrolment for a new "
    "pupil) is within the partnership's horizon and no plan has taken effect yet.",
    case_id=_uuid(),
    plan_due_by=_date(),
)
_event(
    "case.plan_overdue",
    "case",
    "Rule 5: the case's deadline for a development plan passed without a plan taking effect.",
    case_id=_uuid(),
    plan_due_by=_date(),
)

_event(
    "intervention.started",
    "intervention",
    "A basic or extra intervention started.",
    case_id=_uuid(),
    intervention_id=_uuid(),
    level=_code(LEVELS),
    domain=_code(),
    starts_on=_date(),
    evaluate_by=_date(),
    plan_id=fields.UUID(required=True, allow_none=True),
)
_event(
    "intervention.outside_support_profile",
    "intervention",
    "An intervention's domain is not offered in the school's current support profile.",
    case_id=_uuid(),
    intervention_id=_uuid(),
    domain=_code(),
    support_profile_id=fields.UUID(required=True, allow_none=True),
)
_event(
    "intervention.evaluated",
    "intervention",
    "An intervention's effect was evaluated; `evaluated_by` is the id of the user who recorded "
    "it (the coordinator, or the teacher who carries it out; absent in older events).",
    case_id=_uuid(),
    intervention_id=_uuid(),
    outcome=_code(OUTCOMES),
    evaluated_on=_date(),
    evaluate_by=_date(),
    evaluated_by=fields.UUID(allow_none=True, load_default=None),
)
_event(
    "intervention.evaluation_approaching",
    "intervention",
    "An intervention's evaluation date is within the partnership's horizon.",
    case_id=_uuid(),
    intervention_id=_uuid(),
    evaluate_by=_date(),
)
_event(
    "intervention.evaluation_overdue",
    "intervention",
    "An intervention's evaluation date has passed without an evaluation.",
    case_id=_uuid(),
    intervention_id=_uuid(),
    evaluate_by=_date(),
)

_event(
    "development_plan.created",
    "development_plan",
    "A development plan (OPP) was drafted.",
    case_id=_uuid(),
    plan_id=_uuid(),
    created_on=_date(),
    agreed_end_date=_date(),
)
_event(
    "development_plan.consultation_recorded",
    "development_plan",
    "The consultation with the parents (OOGO) was recorded.",
    case_id=_uuid(),
    plan_id=_uuid(),
    held_on=_date(),
)
_event(
    "development_plan.pupil_view_recorded",
    "development_plan",
    "It was recorded that the pupil was heard (hoorrecht).",
    case_id=_uuid(),
    plan_id=_uuid(),
    heard_on=_date(),
)
_event(
    "development_plan.action_plan_changed",
    "development_plan",
    "The action plan (handelingsdeel) changed; it needs fresh consent.",
    case_id=_uuid(),
    plan_id=_uuid(),
    action_plan_version=fields.Integer(required=True),
)
_event(
    "development_plan.consent_requested",
    "development_plan",
    "The parents were asked to consent to the action plan.",
    case_id=_uuid(),
    plan_id=_uuid(),
    action_plan_version=fields.Integer(required=True),
    requested_on=_date(),
)
_event(
    "development_plan.consent_recorded",
    "development_plan",
    "The parents' consent (agreed or declined) was recorded.",
    case_id=_uuid(),
    plan_id=_uuid(),
    action_plan_version=fields.Integer(required=True),
    decision=_code(CONSENT),
    recorded_on=_date(),
    requested_on=fields.Date(required=True, allow_none=True),
    # How the answer came: `online` (the guardian on the parents' pages) or `paper` (typed in by
    # the coordinator). Events written before issue 13 have none: paper.
    channel=fields.String(load_default="paper", validate=validate.OneOf(("online", "paper"))),
)
_event(
    "development_plan.activated",
    "development_plan",
    "The action plan took effect after the parents agreed.",
    case_id=_uuid(),
    plan_id=_uuid(),
    action_plan_version=fields.Integer(required=True),
    activated_on=_date(),
)
_event(
    "development_plan.evaluation_scheduled",
    "development_plan",
    "An evaluation of the plan with the parents was scheduled.",
    case_id=_uuid(),
    plan_id=_uuid(),
    evaluation_id=_uuid(),
    due_on=_date(),
)
_event(
    "development_plan.evaluation_rescheduled",
    "development_plan",
    "A scheduled evaluation moved to another date.",
    case_id=_uuid(),
    plan_id=_uuid(),
    evaluation_id=_uuid(),
    due_on=_date(),
    previous_due_on=_date(),
)
_event(
    "development_plan.evaluation_approaching",
    "development_plan",
    "A plan evaluation is within the partnership's horizon.",
    case_id=_uuid(),
    plan_id=_uuid(),
    evaluation_id=_uuid(),
    due_on=_date(),
)
_event(
    "development_plan.evaluation_overdue",
    "development_plan",
    "A plan evaluation date passed without the evaluation being held.",
    case_id=_uuid(),
    plan_id=_uuid(),
    evaluation_id=_uuid(),
    due_on=_date(),
)
_event(
    "development_plan.evaluation_missing",
    "development_plan",
    "An active plan has no evaluation scheduled in the current school year (rule 6).",
    case_id=_uuid(),
    plan_id=_uuid(),
    school_year=fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{4}$")),
)
_event(
    "development_plan.evaluated",
    "development_plan",
    "The plan was evaluated with the parents and a decision taken.",
    case_id=_uuid(),
    plan_id=_uuid(),
    evaluation_id=_uuid(),
    due_on=_date(),
    held_on=_date(),
    decision=_code(DECISIONS),
    next_evaluation_on=fields.Date(required=True, allow_none=True),
)
for _type, _doc in (
    ("development_plan.meeting_planned", "A meeting was planned for a plan evaluation."),
    ("development_plan.meeting_moved", "A plan evaluation's meeting moved (time or place)."),
    ("development_plan.meeting_cancelled", "A plan evaluation's meeting was cancelled."),
):
    _event(
        _type,
        "development_plan",
        _doc + " Carries the instant (UTC), the length and the calendar sequence; never the "
        "place or link text, only whether one was given.",
        case_id=_uuid(),
        plan_id=_uuid(),
        evaluation_id=_uuid(),
        starts_at=fields.AwareDateTime(required=True),
        duration_minutes=fields.Integer(required=True, validate=validate.Range(min=1)),
        sequence=fields.Integer(required=True, validate=validate.Range(min=0)),
        has_location=fields.Boolean(required=True),
    )
_event(
    "development_plan.closed",
    "development_plan",
    "The plan ended.",
    case_id=_uuid(),
    plan_id=_uuid(),
    closed_on=_date(),
    reason=_code(),
)

_event(
    "referral.requested",
    "referral",
    "A referral to a more specialised setting was requested (towards a TLV).",
    case_id=_uuid(),
    referral_id=_uuid(),
    plan_id=_uuid(),
    destination=_code(),
    requested_on=_date(),
)
_event(
    "referral.admission_statement_recorded",
    "referral",
    "An admission statement (TLV) was recorded with its validity.",
    case_id=_uuid(),
    referral_id=_uuid(),
    valid_from=_date(),
    valid_until=_date(),
)
TLV_DECISIONS = ("granted", "refused")
TLV_SCHOOL_TYPES = ("sbo", "so")  # speciaal basisonderwijs, speciaal onderwijs
TLV_CATEGORIES = ("low", "medium", "high")  # bekostigingscategorie, special schools only
ADVISER_ROLES = ("orthopedagoog", "psycholoog", "deskundige")

_event(
    "referral.submitted",
    "referral",
    "The school submitted its TLV application to the partnership. `parents_agreed` is false when "
    "it went without the parents' agreement (allowed, flagged up to the decision); `decide_by` is "
    "the partnership's deadline for the decision.",
    case_id=_uuid(),
    referral_id=_uuid(),
    submitted_on=_date(),
    parents_agreed=fields.Boolean(required=True),
    decide_by=_date(),
)
_event(
    "referral.advice_recorded",
    "referral",
    "A consultant recorded one of the two expert advices on a TLV application (the adviser's "
    "role as a code; the advice's text stays in cases). `complete` is true once both are in.",
    case_id=_uuid(),
    referral_id=_uuid(),
    advice_id=_uuid(),
    adviser_role=_code(ADVISER_ROLES),
    recorded_on=_date(),
    complete=fields.Boolean(required=True),
)
_event(
    "referral.decided",
    "referral",
    "The partnership decided on a TLV application: granted or refused; for a grant the type of "
    "school, for a special school the category, and the statement's validity.",
    case_id=_uuid(),
    referral_id=_uuid(),
    decision=_code(TLV_DECISIONS),
    decided_on=_date(),
    submitted_on=_date(),
    parents_agreed=fields.Boolean(required=True),
    school_type=fields.String(
        required=True, allow_none=True, validate=validate.OneOf(TLV_SCHOOL_TYPES)
    ),
    category=fields.String(required=True, allow_none=True, validate=validate.OneOf(TLV_CATEGORIES)),
    valid_from=fields.Date(required=True, allow_none=True),
    valid_until=fields.Date(required=True, allow_none=True),
)
_event(
    "referral.admission_statement_expiring",
    "referral",
    "An admission statement's end date is within the partnership's horizon.",
    case_id=_uuid(),
    referral_id=_uuid(),
    valid_until=_date(),
)

_event(
    "support_profile.published",
    "support_profile",
    "A school published a (new version of its) support profile (SOP).",
    support_profile_id=_uuid(),
    version=fields.Integer(required=True),
    valid_from=_date(),
    review_by=_date(),
)
_event(
    "support_profile.expiring",
    "support_profile",
    "A support profile's review date is within the partnership's horizon.",
    support_profile_id=_uuid(),
    review_by=_date(),
)

_event(
    "guardian.sign_in_requested",
    "guardian",
    "A guardian asked for a sign-in link for the parents' pages (subject: one guardian record "
    "with that address). The link's id and expiry only: the address and the link itself are not "
    "in the event; notifications reads the address from the cases service and signs the link "
    "when it sends the message.",
    guardian_id=_uuid(),
    link_id=_uuid(),
    expires_at=fields.AwareDateTime(required=True),
)

_event(
    "document.attached",
    "document",
    "A file was attached to a case (issue 14). Ids, its type and size only: never its name or "
    "content. The partnership does not see it until the parents share it.",
    case_id=_uuid(),
    document_id=_uuid(),
    content_type=fields.String(
        required=True, validate=validate.Regexp(r"^[a-z]+/[a-z0-9.+-]{1,100}$")
    ),  # a MIME type (a code), judged from the content
    size=fields.Integer(required=True),
    attached_on=_date(),
)
_event(
    "document.removed",
    "document",
    "A file was removed from a case (its record and its bytes).",
    case_id=_uuid(),
    document_id=_uuid(),
    removed_on=_date(),
)
_event(
    "document.sharing_decided",
    "document",
    "The parents decided whether the partnership may see a file of their child's case "
    "(`shared`: true or false; AVG).",
    case_id=_uuid(),
    document_id=_uuid(),
    shared=fields.Boolean(required=True),
    decided_on=_date(),
)
