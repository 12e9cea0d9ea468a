"""The OPP as a document (issue 13): what the PDF shows, in the shape schools and partnerships
use — pupil, school, support need, exit destination with its rationale, factors, action plan,
scenarios, agreements with the parents, the consent record, evaluations and meetings — with the
fixed texts in the reader's language (plan_texts.py) and the school's own texts as written.

Pure: it takes the plan as the API represents it (PlanSchema's dump: dates as ISO text) and the
pupil, school and case as plain values, and gives the values the template lays out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.cases.domain.catalog import BASIC_DOMAINS, EXIT_DESTINATIONS, EXTRA_DOMAINS
from services.cases.domain.plan_texts import LABELS, LANGUAGES, RIGHT_TO_LEFT, TEXTS
from shared.clock import AMSTERDAM

DEFAULT_LANGUAGE = "nl"
EMPTY = "–"


def choose_language(asked: str | None, accepted: Iterable[str] = ()) -> str:
    """The document's language: the one asked for (`lang`), else the first of the reader's
    accepted languages (Accept-Language, best first) we have, else Dutch."""
    for candidate in ([asked] if asked else []) + list(accepted):
        base = candidate.strip().lower().split("-")[0].split("_")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def text(key: str, lang: str) -> str:
    return TEXTS[key][LANGUAGES.index(lang)]


def label(kind: str, code: str | None, lang: str) -> str:
    """A state or decision in words; an unknown code as it is, none as a dash."""
    if not code:
        return EMPTY
    found = LABELS[kind].get(code)
    return found[LANGUAGES.index(lang)] if found else code


def catalog_label(catalog: Mapping[str, Mapping[str, str]], code: str, lang: str) -> str:
    """A catalog's name (exit destination, support domain): English for English readers, the
    Dutch name otherwise (they name Dutch school types and the school's own profile)."""
    names = catalog.get(code)
    if not names:
        return code
    return names.get(lang) or names["nl"]


def direction(value: str | None) -> str:
    """The direction of a text the school wrote, from its first letter with a strong direction
    (HTML's dir="auto", which WeasyPrint lacks): Dutch in an Arabic document reads left to right
    with its full stop at the end, Arabic in a Dutch one right to left. No letters: ltr."""
    for char in value or "":
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def day(value: date | str | None) -> str:
    """A date as dd-mm-yyyy (the same in every language), a dash for none."""
    if not value:
        return EMPTY
    found = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return found.strftime("%d-%m-%Y")


def moment(value: datetime | str | None) -> str:
    """An instant as dd-mm-yyyy hh:mm in Dutch time, a dash for none."""
    if not value:
        return EMPTY
    found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if found.tzinfo is not None:
        found = found.astimezone(AMSTERDAM)
    return found.strftime("%d-%m-%Y %H:%M")


@dataclass(frozen=True)
class Pupil:
    given_name: str
    family_name: str
    date_of_birth: date | None
    group: str
    guardians: Mapping[str, str] = field(default_factory=dict)  # id → name


@dataclass(frozen=True)
class Intervention:
    domain: str
    goal: str
    starts_on: date | None
    status: str


def document(
    plan: Mapping[str, Any],
    pupil: Pupil,
    school: str,
    level: str,
    interventions: list[Intervention],
    lang: str,
    as_of: date,
) -> dict[str, Any]:
    """What the template shows, every fixed text in `lang`."""
    return {
        "lang": lang,
        "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        "t": {key: text(key, lang) for key in TEXTS},
        "title": f"{text('title', lang)} – {pupil.given_name} {pupil.family_name}",
        "as_of": day(as_of),
        "pupil": [
            (text("name", lang), f"{pupil.given_name} {pupil.family_name}"),
            (text("date_of_birth", lang), day(pupil.date_of_birth)),
            (text("group", lang), pupil.group),
        ],
        "school": school,
        "plan": [
            (text("plan_status", lang), label("plan_status", plan.get("status"), lang)),
            (text("created_on", lang), day(plan.get("created_on"))),
            (text("agreed_end_date", lang), day(plan.get("agreed_end_date"))),
        ],
        "support_level": label("level", level, lang),
        "interventions": [_intervention(i, lang) for i in interventions],
        "exit_destination": catalog_label(EXIT_DESTINATIONS, plan["exit_destination"], lang),
        "rationale": plan.get("exit_destination_rationale"),
        "hindering": list(plan.get("hindering_factors") or []),
        "supporting": list(plan.get("supporting_factors") or []),
        "action_plan": plan.get("action_plan") or "",
        "action_plan_version": plan.get("action_plan_version"),
        "deviations": plan.get("deviations"),
        "scenarios": [
            (s.get("expected_effect", ""), day(s.get("review_by")))
            for s in plan.get("scenarios") or []
        ],
        "agreements": _agreements(plan, lang),
        "pupil_view": plan.get("pupil_view_summary"),
        "parents_view": _parents_view(plan),
        "consents": [_consent(c, pupil, lang) for c in plan.get("consents") or []],
        "evaluations": [_evaluation(e, lang) for e in plan.get("evaluations") or []],
        "meetings": [m for e in plan.get("evaluations") or [] if (m := _meeting(e, lang))],
    }


def _intervention(item: Intervention, lang: str) -> tuple[str, str, str]:
    domains = {**BASIC_DOMAINS, **EXTRA_DOMAINS}
    return (catalog_label(domains, item.domain, lang), item.goal, day(item.starts_on))


def _agreements(plan: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """The agreements with the parents: the consultation (OOGO), its participants, the pupil
    heard, and the agreed end date."""
    participants = ", ".join(plan.get("consultation_participants") or []) or EMPTY
    return [
        (text("consultation", lang), day(plan.get("consultation_on"))),
        (text("participants", lang), participants),
        (text("pupil_view", lang), day(plan.get("pupil_view_on"))),
        (text("agreed_end_date", lang), day(plan.get("agreed_end_date"))),
    ]


def _parents_view(plan: Mapping[str, Any]) -> str | None:
    """The parents' own view (ouderdeel) when the plan carries one: as text, or the text of a
    structured one."""
    view = plan.get("parents_view")
    if isinstance(view, Mapping):
        return str(view.get("text") or view.get("view") or "") or None
    return str(view) if view else None


def _consent(consent: Mapping[str, Any], pupil: Pupil, lang: str) -> dict[str, str]:
    """Who answered (the guardians by name), when, which version (its hash online), how."""
    who = [pupil.guardians.get(str(g), str(g)) for g in consent.get("guardian_ids") or []]
    return {
        "version": str(consent.get("action_plan_version", EMPTY)),
        "decision": label("consent", consent.get("decision"), lang),
        "when": moment(consent["recorded_at"])
        if consent.get("recorded_at")
        else day(consent.get("recorded_on")),
        "who": ", ".join(who) or EMPTY,
        "channel": label("channel", consent.get("channel"), lang),
        "hash": consent.get("content_hash") or EMPTY,
        "reason": consent.get("reason") or "",
    }


def _evaluation(evaluation: Mapping[str, Any], lang: str) -> dict[str, str]:
    held = evaluation.get("status") == "held"
    return {
        "due_on": day(evaluation.get("due_on")),
        "held_on": day(evaluation.get("held_on")),
        "decision": label("evaluation", evaluation.get("decision") if held else "scheduled", lang),
        "next_on": day(evaluation.get("next_evaluation_on")),
        "note": evaluation.get("note") or "",
    }


def _meeting(evaluation: Mapping[str, Any], lang: str) -> dict[str, str] | None:
    meeting = evaluation.get("meeting")
    if not meeting:
        return None
    return {
        "starts_at": moment(meeting.get("starts_at")),
        "duration": str(meeting.get("duration_minutes") or EMPTY),
        "location": meeting.get("location") or EMPTY,
        "cancelled": label("meeting", "cancelled", lang) if meeting.get("cancelled") else "",
    }
