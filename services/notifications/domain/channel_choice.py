"""A guardian's choice of channel (e-mail, SMS or both): it narrows what a policy sends, it never
silences a message.

A policy plans one message to a guardian on each of its channels (one row per channel). At send
time a row on a channel the guardian did not choose is left out only when the same message also
goes to that guardian on a channel they did choose; otherwise it is sent anyway, so a consent
request still arrives by e-mail when the policy has no SMS for it or the school has no phone number.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

GUARDIAN_CHANNELS = ("email", "sms")  # the order they are stored and shown in
SKIPPED_FOR_CHOICE = "guardian chose another channel"  # the reason a left-out row carries


def normalise(channels: Iterable[str] | None) -> tuple[str, ...] | None:
    """The chosen channels in their fixed order, without repeats; None (or nothing) means no
    choice: the policy decides. Unknown channels raise ValueError."""
    if channels is None:
        return None
    chosen = set(channels)
    unknown = chosen - set(GUARDIAN_CHANNELS)
    if unknown:
        raise ValueError(f"unknown channel(s): {', '.join(sorted(unknown))}")
    return tuple(c for c in GUARDIAN_CHANNELS if c in chosen) or None


def to_text(channels: Iterable[str] | None) -> str | None:
    """The stored form: "email", "sms" or "email,sms"; None when there is no choice."""
    chosen = normalise(channels)
    return ",".join(chosen) if chosen else None


def from_text(value: str | None) -> tuple[str, ...] | None:
    """The stored form read back; an empty or unreadable value counts as no choice."""
    if not value:
        return None
    try:
        return normalise(part.strip() for part in value.split(","))
    except ValueError:
        return None


def left_out(channel: str, chosen: Collection[str] | None, also_planned: Collection[str]) -> bool:
    """Whether a guardian's message on `channel` is left out: the guardian chose other channels
    and the same message also goes to them on one of those (`also_planned`: the channels of the
    message's other live rows). Without that, it goes anyway."""
    if not chosen or channel not in GUARDIAN_CHANNELS or channel in chosen:
        return False
    return any(other in chosen for other in also_planned if other != channel)
