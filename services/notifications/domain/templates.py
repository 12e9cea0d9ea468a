"""Rendering message templates (Jinja2, sandboxed); the default texts, in Dutch and English, are
`message_texts.py`'s (with `notice_texts.py` and `tlv_texts.py`).

Template keys are event types, `<event type>.lead` for reminders before a date and
`<event type>.escalation` for escalations. Policies may override a key per language (nl, en).
The messages a guardian receives are also in Turkish, Arabic, Polish and Ukrainian: their
Dutch texts translated through the gettext catalogs (`languages.py`), text by text, Dutch where
a translation is missing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

from services.notifications.domain import tlv
from services.notifications.domain.languages import (
    CATALOG_LANGUAGES,
    MOMENT,
    known,
    translate,
    written_date,
)
from services.notifications.domain.message_texts import (
    DEFAULTS,
    DIGEST,
    DOMAIN_LABELS,
    FOOTER,
    GREETING,
    GROUP,
)
from services.notifications.domain.template_keys import template_event
from shared.clock import AMSTERDAM
from shared.dates import written
from shared.errors import RuleViolation
from shared.events import CATALOG

log = logging.getLogger(__name__)

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)

DATE_KEYS = (
    "plan_due_by",
    "left_on",
    "due_on",
    "evaluate_by",
    "valid_until",
    "review_by",
    "starts_on",
    "period_start",
    "period_end",
    "answer_by",
    "decide_by",
    "valid_from",
)


def long_date(iso: str, language: str) -> str:
    """'2026-10-15' as '15 oktober 2026' (nl) or '15 October 2026' (en), '15 Ekim 2026' (tr)."""
    if language in CATALOG_LANGUAGES:
        return written_date(date.fromisoformat(iso), language)
    return written(date.fromisoformat(iso), language)


def long_moment(iso: str, language: str) -> str:
    """An instant in Amsterdam time: '20 oktober 2026 om 15:30' (nl), '... at 15:30' (en)."""
    local = datetime.fromisoformat(iso).astimezone(AMSTERDAM)
    pattern = "{date} at {time}" if language == "en" else translate(MOMENT, language)
    return pattern.format(date=long_date(local.date().isoformat(), language), time=f"{local:%H:%M}")


def _in(texts: dict[str, Any], language: str) -> Any:
    """A text in `language`: written beside the Dutch (nl, en), else the Dutch translated."""
    if language in texts:
        return texts[language]
    dutch = texts["nl"]
    if isinstance(dutch, tuple):
        return tuple(translate(part, language) for part in dutch)
    if isinstance(dutch, dict):
        return {k: translate(v, language) for k, v in dutch.items()}
    return translate(dutch, language)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def render(
    template: str,
    language: str,
    context: dict[str, Any],
    group: bool = False,
    overrides: dict[str, dict[str, tuple[str, str]]] | None = None,
    strict: bool = False,
) -> Message:
    """Render a message; group channels always get the neutral reference-only text. An
    administrator's own text that fails on this message's data falls back to the default text
    (a message is never lost to a typo), unless `strict` (the check when a text is saved)."""
    language = known(language)
    ctx = _context(context, language)
    if group:
        subject, body = _in(GROUP, language)
        return Message(_render(subject, ctx), _render(body, ctx))
    subject, body = _variant(template, language, overrides or {})
    try:
        return Message(
            _render(subject, ctx),
            _render(_in(GREETING, language) + body + _in(FOOTER, language), ctx),
        )
    except Exception:  # an administrator's text that fails on this message's data
        if strict or not overrides or template not in overrides:
            raise
        log.warning("own text of %s failed to render; the default text is used", template)
        return render(template, language, context, group, None)


def _context(context: dict[str, Any], language: str) -> dict[str, Any]:
    """The variables a text may use: absent optional ones as None, dates written out in
    `language`, the support domain's label."""
    ctx = {
        "preferences_url": None,
        "link": None,
        "reports_url": None,
        "sign_in_url": None,
        **dict.fromkeys(CONSENT_VARIABLES),
        **dict.fromkeys(tlv.PARENTS_VARIABLES),
        "valid_from": None,  # a refused TLV has no validity
        "valid_until": None,
        "pupil": "uw kind",
        "domain_label": None,
        **context,
    }
    for key in DATE_KEYS:
        if isinstance(ctx.get(key), str):
            ctx[key] = long_date(ctx[key], language)
    if isinstance(ctx.get("meeting_at"), str):
        ctx["meeting_at"] = long_moment(ctx["meeting_at"], language)
    if "domain" in ctx:
        ctx["domain_label"] = _in(DOMAIN_LABELS, language).get(ctx["domain"])
    return ctx


def _variant(
    template: str, language: str, overrides: dict[str, dict[str, tuple[str, str]]]
) -> tuple[str, str]:
    """The policy's own text in the reader's language, else the default in that language (for a
    catalog language: the Dutch default translated, text by text); Dutch only when neither
    exists in the reader's language."""
    sources = [
        overrides.get(template),
        DEFAULTS.get(template),
        DEFAULTS.get(template.rsplit(".", 1)[0]),
    ]
    if language in CATALOG_LANGUAGES:
        for source in sources[1:]:
            if source and "nl" in source:
                subject, body = _in(source, language)
                return subject, body
    for lang in (language, "nl"):
        for source in sources:
            if source and lang in source:
                subject, body = source[lang]
                return subject, body
    # Unreachable for the catalog's events (each has a default); a readable last resort.
    if language == "en":
        return "Notice about case {{ reference }}", "There is news about case {{ reference }}."
    return "Bericht over traject {{ reference }}", "Er is nieuws over traject {{ reference }}."


SAMPLE_CONTEXT = {
    "recipient_name": "Eva Mulder",
    "pupil": "Daan",
    "school": "OBS De Regenboog",
    "reference": "1a2b3c4d",
    "due_on": "2026-10-29",
    "evaluate_by": "2026-10-29",
    "valid_until": "2027-07-31",
    "review_by": "2029-07-31",
    "starts_on": "2026-10-15",
    "domain": "reading_dyslexia",
    "meeting_at": "2026-10-29T14:30:00+00:00",
    "period_start": "2026-09-01",
    "period_end": "2026-09-30",
    "report_id": "00000000-0000-4000-8000-000000000001",
    "plan_due_by": "2026-10-26",
    "left_on": "2026-10-15",
    "school_year": "2026-2027",
    "link": "http://127.0.0.1:8000/trajecten/1a2b3c4d-0000-4000-8000-000000000001",
    "consent_url": "http://127.0.0.1:8000/ouders/plannen/1a2b3c4d-0000-4000-8000-000000000002/"
    "instemming",
    "answer_by": "2026-10-29",
    "contact_name": "Fatima el Amrani",
    "contact_email": "ib@regenboog.example",
    "contact_phone": "020 123 4567",
    "partnership": "SWV Amstelland",
    "decide_by": "2026-11-26",
    "valid_from": "2026-11-01",
    "parents_agreed": False,
    "decision": "granted",
    "school_type": "so",
    "category": "medium",
    "decision_url": "http://127.0.0.1:8000/ouders/aanvragen/1a2b3c4d-0000-4000-8000-000000000003",
}


# What every personal message has; the rest follows from the event's payload (see the planner's
# context: its dates, its domain, a meeting's start, a report's period).
COMMON_VARIABLES = ("recipient_name", "school", "reference", "preferences_url", "link")
PAYLOAD_DATES = (
    "due_on",
    "evaluate_by",
    "valid_until",
    "review_by",
    "starts_on",
    "plan_due_by",
    "left_on",
    "decide_by",
    "valid_from",
)
PAYLOAD_CODES = ("school_year",)  # payload fields a message shows as they are
# What a consent request to a guardian has besides (issue 13): the consent page's address, the
# date the school hopes for an answer by, its contact and the partnership's name (at send time).
CONSENT_VARIABLES = (
    "consent_url",
    "answer_by",
    "contact_name",
    "contact_email",
    "contact_phone",
    "partnership",
)


@cache
def message_variables(template: str) -> frozenset[str]:
    """The variables a message of this template key has: a text that uses another would find
    nothing there at delivery."""
    if template == tlv.PARENTS_TEMPLATE:  # no payload dates: a TLV's validity tells the decision
        return frozenset({*COMMON_VARIABLES, *tlv.variables(template)})
    event_type = template_event(template)
    spec = CATALOG.get(event_type)
    payload = set(spec.schema().fields) if spec is not None else set()
    names = set(COMMON_VARIABLES)
    names |= {k for k in (*PAYLOAD_DATES, *PAYLOAD_CODES) if k in payload}
    if "case_id" in payload:
        names.add("pupil")
    if "domain" in payload:
        names |= {"domain", "domain_label"}
    if "starts_at" in payload:
        names.add("meeting_at")
    if "report_id" in payload:
        names |= {"report_id", "period_start", "period_end", "reports_url"}
    if event_type == "development_plan.consent_requested":
        names |= set(CONSENT_VARIABLES)
    return frozenset(names | tlv.variables(template))


def sample_context(template: str) -> dict[str, Any]:
    """SAMPLE_CONTEXT narrowed to what a message of this template has."""
    names = message_variables(template)
    return {k: v for k, v in SAMPLE_CONTEXT.items() if k in names}


def check_override(template: str, language: str, subject: str, body: str) -> str | None:
    """Why an administrator's text cannot be used (None when it can): it must compile in the
    sandbox, use only the variables this message has, and render with them."""
    allowed = message_variables(template)
    try:
        used = set().union(
            *(meta.find_undeclared_variables(_env.parse(p)) for p in (subject, body))
        )
        unknown = sorted(used - allowed - set(_env.globals))
        if unknown:
            return (
                f"'{unknown[0]}' is not available in this message; it has: "
                f"{', '.join(sorted(allowed))}."
            )
        overrides = {template: {language: (subject, body)}}
        render(template, language, sample_context(template), overrides=overrides, strict=True)
    except TemplateError as err:
        return str(err)
    except Exception as err:  # e.g. {{ 1/0 }}: the sandbox lets it compile, rendering fails
        return f"Cannot be filled in: {err}"
    return None


@lru_cache(maxsize=1024)
def _compiled(source: str) -> Template:
    """A template compiled once per source text (compiling costs more than rendering); the
    source is the key, so an edited policy text is compiled anew."""
    return _env.from_string(source)


def _render(source: str, context: dict[str, Any]) -> str:
    return _compiled(source).render(**context)


def check_template(source: str) -> None:
    """Refuse a template that does not compile in the sandbox."""
    try:
        _env.from_string(source)
    except TemplateError as err:
        raise RuleViolation(
            "The template does not compile.", errors={"templates": [str(err)]}
        ) from err


def render_digest(items: list[Message], language: str, context: dict[str, Any]) -> Message:
    """A staff member's daily digest: each item's subject and text, one after the other."""
    language = language if language in ("nl", "en") else "nl"  # staff only: nl or en
    subject, intro = DIGEST[language]
    name = context.get("recipient_name") or ""
    parts = [intro.format(name=name)]
    for item in items:
        body = item.body.split("\n\n", 1)[-1]  # without the repeated greeting
        body = body.rsplit("\n\n", 1)[0] if "\n\n" in body else body  # nor the sign-off
        parts.append(f"- {item.subject}\n  {body.strip()}")
    return Message(subject.format(n=len(items)), "\n\n".join(parts))
