"""The parents' part of a development plan (issue 13), plain Python.

- The parents' own view (ouderdeel): what the parents see as their child's needs, in their own
  words, kept on the plan with which guardian wrote it and when. It is free text about a pupil:
  it lives in the cases service only, never in an event, and anonymising blanks it.
- Whose consent counts: a partnership's `consent_from` setting says whether one guardian's
  agreement suffices (`one`, the default) or every guardian with parental authority must agree
  (`all`). Under `all` a plan takes effect when the last of them agreed to the current version;
  one decline keeps it inactive (the request ends, and a new request asks everyone again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from shared.errors import Problems

CONSENT_FROM = ("one", "all")
PARENTS_VIEW_MAX = 4000


class Answer(Protocol):
    """What the rule reads of a recorded consent (model.Consent)."""

    action_plan_version: int
    decision: str
    guardian_ids: list[str]


@dataclass(frozen=True)
class ParentsView:
    """The parents' own view as the plan's API shows it."""

    text: str
    guardian_id: UUID | None
    recorded_at: datetime | None


def checked_parents_view(text: str) -> str:
    """The view's text, trimmed; empty or too long is refused (422)."""
    text = text.strip()
    problems = Problems()
    problems.check(bool(text), "text", "Write the parents' view, or leave the page.")
    problems.check(len(text) <= PARENTS_VIEW_MAX, "text", f"At most {PARENTS_VIEW_MAX} characters.")
    problems.raise_if_any("The parents' view is not valid.")
    return text


class WithAuthority(Protocol):
    """What the rule reads of a guardian (school.Guardian)."""

    id: UUID
    parental_authority: bool


def needed_guardians(
    consent_from: str, guardians: Iterable[WithAuthority]
) -> frozenset[str] | None:
    """Whose agreement counts: None when one guardian's suffices; under `all`, every guardian
    with parental authority (none with it on record: one suffices)."""
    if consent_from != "all":
        return None
    return frozenset(str(g.id) for g in guardians if g.parental_authority) or None


def agreed_so_far(answers: Iterable[Answer], version: int) -> frozenset[str]:
    """The guardians who agreed to this version since its last decline (a decline ends a
    request: after it, everyone is asked again)."""
    agreed: set[str] = set()
    for answer in answers:
        if answer.action_plan_version != version:
            continue
        if answer.decision == "agreed":
            agreed.update(str(g) for g in answer.guardian_ids)
        else:
            agreed.clear()
    return frozenset(agreed)


def still_awaited(
    answers: Iterable[Answer], version: int, needed: frozenset[str] | None
) -> frozenset[str]:
    """The guardians with authority whose agreement to this version is still missing: empty
    when one agreement suffices (`needed` None or empty) or when every one of them agreed."""
    if not needed:
        return frozenset()
    return frozenset(needed) - agreed_so_far(answers, version)
