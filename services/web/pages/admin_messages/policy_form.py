"""The policy form: an HTML form's fields to the notifications API's input and back,
and the API's problems per form field. Plain Python, no Flask.

Own texts (the policy's `templates`): one subject and body per message of the policy and language.
An empty field means the default text (templates.py) of that part; a part equal to the default is
shown empty again. Texts of messages the submitted form did not show stay as stored; texts of event
types the policy no longer has are dropped (the validator would refuse them) and listed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from services.notifications.domain import templates
from services.notifications.domain.policy import (
    DEADLINE_EVENTS,
    DUE_DATE_FIELD,
    MEETING_START_FIELD,
    OVERDUE_EVENTS,
    PERSONAL_CHANNELS,
    ROLES,
    STAFF,  # noqa: F401  (the policy page offers these roles)
)
from services.notifications.domain.template_keys import template_event
from services.notifications.domain.tlv import GUARDIAN_VERSIONS
from shared.events import CATALOG

FIELDS = (
    "key",
    "name",
    "school_id",
    "event_types",
    "channels",
    "lead_times_days",
    "send_hour",
    "quiet_start",
    "quiet_end",
    "quiet_hours",
    "skip_weekends",
    "skip_holidays",
    "skip_good_friday",
    "critical",
    "delivery",
    "report_delivery",
    "escalate_after_days",
    "escalate_to",
    "group_urls",
    "enabled",
)
GENERAL = "_general"
# API fields shown at another form field.
_SHOWN_AT = {"recipient_roles": "channels"}
CHECKBOXES = ("skip_weekends", "skip_holidays", "skip_good_friday", "critical", "enabled")
TEXT_LANGUAGES = ("nl", "en")
TEXT_PARTS = ("subject", "body")
TEXT_MAX = 5000  # PolicyInSchema's longest text
TEXT_KEYS = "text_keys"  # the hidden field naming the messages whose text fields the form shows
# The validator's problem with one text: "'<template key>' (<language>): <problem>".
_TEXT_PROBLEM = re.compile(
    r"^'(?P<key>[^']+)' \((?P<language>nl|en)\): (?P<problem>.*)$", re.DOTALL
)


class FormData(Protocol):
    """What a submitted form offers (werkzeug's MultiDict does)."""

    def getlist(self, key: str) -> list[str]: ...


def _first(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    return values[0] if values else None


def _time(value: str | None) -> str:
    """The API's "20:00" or "20:00:00" as the form's "20:00"."""
    return value[:5] if value else ""


def policy_values(policy: Mapping[str, Any]) -> dict[str, Any]:
    """A policy as the API sends it, as the form shows it (group URLs are never shown again)."""
    channels = policy.get("channels") or {}
    escalate_after = policy.get("escalate_after_days")
    return {
        "key": policy["key"],
        "name": policy["name"],
        "school_id": policy.get("school_id") or "",
        "event_types": list(policy["event_types"]),
        "channels": {role: list(channels.get(role, [])) for role in policy["recipient_roles"]},
        "lead_times_days": ", ".join(str(d) for d in policy.get("lead_times_days") or []),
        "send_hour": str(policy["send_hour"]),
        "quiet_start": _time(policy.get("quiet_start")),
        "quiet_end": _time(policy.get("quiet_end")),
        "skip_weekends": policy["skip_weekends"],
        "skip_holidays": policy["skip_holidays"],
        "skip_good_friday": policy["skip_good_friday"],
        "critical": policy["critical"],
        "delivery": policy["delivery"],
        "report_delivery": policy.get("report_delivery") or "link",
        "escalate_after_days": "" if escalate_after is None else str(escalate_after),
        "escalate_to": list(policy.get("escalate_to") or []),
        "group_urls": "",
        "enabled": policy["enabled"],
        "texts": _form_texts(policy.get("templates") or {}),
    }


def new_values() -> dict[str, Any]:
    """The form of a new policy: the API's defaults."""
    return {
        "key": "",
        "name": "",
        "school_id": "",
        "event_types": [],
        "channels": {},
        "lead_times_days": "",
        "send_hour": "8",
        "quiet_start": "20:00",
        "quiet_end": "07:00",
        "skip_weekends": True,
        "skip_holidays": True,
        "skip_good_friday": False,
        "critical": False,
        "delivery": "immediate",
        "report_delivery": "link",
        "escalate_after_days": "",
        "escalate_to": [],
        "group_urls": "",
        "enabled": True,
        "texts": {},
    }


def submitted_values(form: FormData) -> dict[str, Any]:
    """What the user typed, kept as typed so the form can be shown again with its problems."""
    channels = {}
    for role in ROLES:
        chosen = [c for c in form.getlist(f"channels.{role}") if c in PERSONAL_CHANNELS]
        if chosen:
            channels[role] = chosen
    values: dict[str, Any] = {
        name: (_first(form, name) or "").strip()
        for name in (
            "key",
            "name",
            "school_id",
            "lead_times_days",
            "send_hour",
            "quiet_start",
            "quiet_end",
            "delivery",
            "report_delivery",
            "escalate_after_days",
            "group_urls",
        )
    }
    values.update(
        event_types=form.getlist("event_types"),
        channels=channels,
        escalate_to=form.getlist("escalate_to"),
        texts={
            key: {
                language: {
                    part: _typed(_first(form, f"{text_field(key, language)}.{part}"))
                    for part in TEXT_PARTS
                }
                for language in TEXT_LANGUAGES
            }
            for key in dict.fromkeys(form.getlist(TEXT_KEYS))
        },
        **{name: _first(form, name) is not None for name in CHECKBOXES},
    )
    return values


def _typed(value: str | None) -> str:
    """A text as typed, without the browser's CR LF line ends and surrounding blanks."""
    return (value or "").replace("\r\n", "\n").strip()


def _integer(value: str) -> int | str | None:
    """A whole number if it is one; otherwise the text, so the schema reports it."""
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return value


def policy_input(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The body the API would get for these form values, and the problems found on the way."""
    problems: dict[str, list[str]] = {}
    leads: list[int] = []
    for part in values["lead_times_days"].replace(";", ",").split(","):
        if part.strip():
            try:
                leads.append(int(part.strip()))
            except ValueError:
                problems["lead_times_days"] = ["Give whole numbers separated by commas."]
    send_hour = _integer(values["send_hour"])
    data: dict[str, Any] = {
        "key": values["key"],
        "name": values["name"],
        "school_id": values["school_id"] or None,
        "event_types": list(values["event_types"]),
        "recipient_roles": list(values["channels"]),
        "channels": {role: list(chs) for role, chs in values["channels"].items()},
        "lead_times_days": leads,
        "send_hour": 8 if send_hour is None else send_hour,
        "quiet_start": values["quiet_start"] or None,
        "quiet_end": values["quiet_end"] or None,
        "skip_weekends": bool(values["skip_weekends"]),
        "skip_holidays": bool(values["skip_holidays"]),
        "skip_good_friday": bool(values["skip_good_friday"]),
        "critical": bool(values["critical"]),
        "delivery": values["delivery"] or "immediate",
        "report_delivery": values.get("report_delivery") or "link",
        "escalate_after_days": _integer(values["escalate_after_days"]),
        "escalate_to": list(values["escalate_to"]),
        "group_urls": [u.strip() for u in values["group_urls"].splitlines() if u.strip()],
        "enabled": bool(values["enabled"]),
    }
    data["templates"], text_problems = _templates(values)
    problems.update(text_problems)
    return data, problems


def _messages(value: Any) -> list[str]:
    """Every message in a nested error structure (lists, dicts per index or key)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def field_errors(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    """The API's errors (schema and domain) per form field; a text's problem at its text field;
    others under GENERAL."""
    out: dict[str, list[str]] = {}
    for key, value in errors.items():
        top = str(key).split(".")[0]
        field = _SHOWN_AT.get(top, top)
        if field not in FIELDS:
            field = GENERAL
        for text in _messages(value):
            at = field
            found = _TEXT_PROBLEM.match(text) if top == "templates" else None
            if found:
                at, text = text_field(found["key"], found["language"]), found["problem"]
            if text not in out.get(at, []):
                out.setdefault(at, []).append(text)
    return out


# -- own texts -------------------------------------------------------------------------------------


def text_field(key: str, language: str) -> str:
    """The form field of a message's text in one language (its parts add .subject / .body)."""
    return f"text.{key}.{language}"


def _event(key: str) -> str:
    """The event type of a template key, as the validator reads it."""
    return template_event(key)


def default_text(key: str, language: str) -> tuple[str, str]:
    """The subject and body a message gets without an own text: what delivery picks."""
    return templates._variant(key, language, {})  # the renderer's own choice, not a copy of it


def _has_text(languages: Mapping[str, Mapping[str, str]]) -> bool:
    return any(part for parts in languages.values() for part in parts.values())


def _form_texts(stored: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, Any]:
    """Stored own texts as the form shows them: a part equal to the default is left empty."""
    out: dict[str, Any] = {}
    for key, languages in stored.items():
        out[key] = {}
        for language in TEXT_LANGUAGES:
            pair = languages.get(language) or ("", "")
            default = default_text(key, language) if languages.get(language) else ("", "")
            out[key][language] = {
                part: "" if own == standard else own
                for part, own, standard in zip(TEXT_PARTS, pair, default, strict=True)
            }
    return out


def keep_stored_texts(
    values: dict[str, Any], stored: Mapping[str, Mapping[str, Sequence[str]]]
) -> None:
    """Texts of messages the submitted form did not show stay as they are stored."""
    for key, languages in _form_texts(stored).items():
        values["texts"].setdefault(key, languages)


def message_keys(values: Mapping[str, Any]) -> list[str]:
    """The messages a policy with these form values sends, as planning names them (an event's
    reminder with lead times; a meeting's invitation and, with lead times, its reminder; its
    escalation when set), then other messages of its events that have an own text."""
    events = list(values["event_types"])
    reminders = any(p.strip() for p in values["lead_times_days"].replace(";", ",").split(","))
    escalates = bool(values["escalate_after_days"].strip()) and bool(values["escalate_to"])
    keys: list[str] = []
    for event in events:
        keys.append(f"{event}.lead" if reminders and event in DUE_DATE_FIELD else event)
        if reminders and event in MEETING_START_FIELD:
            keys.append(f"{event}.lead")
        if reminders and event in DEADLINE_EVENTS:
            keys.append(f"{event}.overdue")
        if escalates and (event in OVERDUE_EVENTS or event in DEADLINE_EVENTS):
            keys.append(f"{event}.escalation")
        if event in GUARDIAN_VERSIONS and "guardian" in values.get("channels", {}):
            keys.append(GUARDIAN_VERSIONS[event])
    texts = values.get("texts", {})
    return keys + sorted(
        k for k in texts if k not in keys and _event(k) in events and _has_text(texts[k])
    )


def dropped_texts(values: Mapping[str, Any]) -> list[str]:
    """Messages with own texts whose event type the policy no longer has: saving drops them."""
    events = set(values["event_types"])
    texts = values.get("texts", {})
    return sorted(k for k in texts if _event(k) not in events and _has_text(texts[k]))


def _templates(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The API's `templates` for the typed texts (an empty part: the default's), and each text's
    problem at its field."""
    events = set(values["event_types"])
    out: dict[str, dict[str, list[str]]] = {}
    problems: dict[str, list[str]] = {}
    for key, languages in values.get("texts", {}).items():
        if _event(key) not in events:
            continue  # dropped: see dropped_texts
        for language in TEXT_LANGUAGES:
            parts = languages.get(language, {})
            if not any(parts.values()):
                continue
            default = default_text(key, language)
            pair = [parts.get(part) or d for part, d in zip(TEXT_PARTS, default, strict=True)]
            problem = _text_problem(key, language, pair)
            if problem:
                problems[text_field(key, language)] = [problem]
            out.setdefault(key, {})[language] = pair
    return out, problems


def _text_problem(key: str, language: str, pair: list[str]) -> str | None:
    """The validator's problem with a text, also for one that compiles but fails on values
    (`{{ 1 / 0 }}`): it would fail at every delivery."""
    if any(len(part) > TEXT_MAX for part in pair):
        return f"At most {TEXT_MAX} characters."
    try:
        return templates.check_override(key, language, pair[0], pair[1])
    except Exception as err:  # any failure is the text's problem, shown at it
        return f"Cannot be filled in: {err}"


def sample_message(
    key: str, language: str, subject: str, body: str
) -> tuple[templates.Message | None, str | None]:
    """The message a sample reader gets (templates.SAMPLE_CONTEXT as far as this message has it,
    the validator's, rendered in the sandbox as at delivery); the problem instead when it cannot
    be made."""
    own = {key: {language: (subject, body)}}
    try:
        sample = templates.sample_context(key)
        return templates.render(key, language, sample, overrides=own, strict=True), None
    except Exception as err:  # shown next to the text, never raised
        return None, str(err)


def text_forms(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per message and language: the text as typed, the default and the sample message."""
    out = []
    for key in message_keys(values):
        languages = []
        for language in TEXT_LANGUAGES:
            own = values.get("texts", {}).get(key, {}).get(language) or {}
            subject, body = own.get("subject", ""), own.get("body", "")
            default = default_text(key, language)
            sample, problem = sample_message(
                key, language, subject or default[0], body or default[1]
            )
            languages.append(
                {
                    "language": language,
                    "field": text_field(key, language),
                    "subject": subject,
                    "body": body,
                    "default_subject": default[0],
                    "default_body": default[1],
                    "sample": sample,
                    "sample_problem": problem,
                }
            )
        variables = sorted(templates.message_variables(key))
        out.append({"key": key, "languages": languages, "variables": variables})
    return out


def text_variables(keys: Sequence[str] | None = None) -> tuple[str, ...]:
    """The variables the texts of these messages may use (of every message: all there are), as
    the validator allows them per message."""
    if keys is None:
        keys = [*CATALOG, *templates.DEFAULTS]
    names: set[str] = set()
    for key in keys:
        names |= templates.message_variables(key)
    return tuple(sorted(names))
