"""The policy form: an HTML form's fields to the API's input (PolicyInSchema validates it) and back,
and the API's problems per form field. Plain Python, no Flask."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from services.notifications.domain.policy import PERSONAL_CHANNELS, ROLES, Policy

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
CHECKBOXES = ("skip_weekends", "skip_holidays", "critical", "enabled")


class FormData(Protocol):
    """What a submitted form offers (werkzeug's MultiDict does)."""

    def getlist(self, key: str) -> list[str]: ...


def _first(form: FormData, name: str) -> str | None:
    values = form.getlist(name)
    return values[0] if values else None


def _time(value: Any) -> str:
    return value.strftime("%H:%M") if value is not None else ""


def policy_values(policy: Policy) -> dict[str, Any]:
    """A stored policy as the form shows it (group URLs are never shown again)."""
    return {
        "key": policy.key,
        "name": policy.name,
        "school_id": str(policy.school_id) if policy.school_id else "",
        "event_types": list(policy.event_types),
        "channels": {role: list(policy.channels.get(role, [])) for role in policy.recipient_roles},
        "lead_times_days": ", ".join(str(d) for d in policy.lead_times_days),
        "send_hour": str(policy.send_hour),
        "quiet_start": _time(policy.quiet_start),
        "quiet_end": _time(policy.quiet_end),
        "skip_weekends": policy.skip_weekends,
        "skip_holidays": policy.skip_holidays,
        "critical": policy.critical,
        "delivery": policy.delivery,
        "report_delivery": policy.report_delivery,
        "escalate_after_days": (
            "" if policy.escalate_after_days is None else str(policy.escalate_after_days)
        ),
        "escalate_to": list(policy.escalate_to),
        "group_urls": "",
        "enabled": policy.enabled,
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
        "critical": False,
        "delivery": "immediate",
        "report_delivery": "link",
        "escalate_after_days": "",
        "escalate_to": [],
        "group_urls": "",
        "enabled": True,
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
        **{name: _first(form, name) is not None for name in CHECKBOXES},
    )
    return values


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
        "critical": bool(values["critical"]),
        "delivery": values["delivery"] or "immediate",
        "report_delivery": values.get("report_delivery") or "link",
        "escalate_after_days": _integer(values["escalate_after_days"]),
        "escalate_to": list(values["escalate_to"]),
        "group_urls": [u.strip() for u in values["group_urls"].splitlines() if u.strip()],
        "enabled": bool(values["enabled"]),
    }
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
    """The API's errors (schema and domain) per form field; others under GENERAL."""
    out: dict[str, list[str]] = {}
    for key, value in errors.items():
        top = str(key).split(".")[0]
        field = _SHOWN_AT.get(top, top)
        if field not in FIELDS:
            field = GENERAL
        for text in _messages(value):
            if text not in out.get(field, []):
                out.setdefault(field, []).append(text)
    return out
