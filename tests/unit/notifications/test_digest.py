"""Daily digests for staff: rows of a digest policy wait for the send hour and share a key per
recipient, channel and day; parents never get a digest; one message lists every item."""

from __future__ import annotations

from services.notifications.domain.planning import plan_event
from services.notifications.domain.templates import Message, render, render_digest
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    COORDINATOR,
    GUARDIAN,
    NO_HOLIDAYS,
    TEACHER,
    audience,
    envelope,
    local,
    policy,
)


def _digest_policy():
    return policy(
        key="plan_created_digest",
        event_types=["development_plan.created"],
        recipient_roles=["teacher", "coordinator"],
        channels={"teacher": ["email"], "coordinator": ["email"]},
        lead_times_days=[],
        delivery="digest",
    )


def test_staff_rows_wait_for_the_next_morning_and_share_a_key_per_recipient():
    first = plan_event(
        envelope("development_plan.created"),
        [_digest_policy()],
        audience(TEACHER, COORDINATOR),
        NO_HOLIDAYS,
        NOW,
    )
    second = plan_event(
        envelope("development_plan.created"),
        [_digest_policy()],
        audience(TEACHER, COORDINATOR),
        NO_HOLIDAYS,
        NOW,
    )
    # Thursday 10:00: today's 08:00 window has passed, so Friday 08:00.
    assert {r.send_at for r in first + second} == {local(2026, 10, 16, 8)}
    keys = {r.recipient_id: r.digest_key for r in first}
    assert len(set(keys.values())) == 2  # one window per person
    assert {r.recipient_id: r.digest_key for r in second} == keys  # both events share it
    assert all(r.dedupe_key != s.dedupe_key for r in first for s in second)


def test_parents_never_get_a_digest():
    rules = _digest_policy()
    rules.recipient_roles = ["guardian"]
    rules.channels = {"guardian": ["email"]}
    [row] = plan_event(
        envelope("development_plan.created"), [rules], audience(GUARDIAN), NO_HOLIDAYS, NOW
    )
    assert row.digest_key is None and row.send_at == NOW


def test_a_digest_lists_each_item_once_without_repeating_greetings():
    items = [
        render(
            "development_plan.created",
            "nl",
            {"recipient_name": "Juf Anna", "pupil": name, "reference": ref, "school": "X"},
        )
        for name, ref in (("Emma", "aaaa1111"), ("Sem", "bbbb2222"))
    ]
    digest = render_digest(items, "nl", {"recipient_name": "Juf Anna"})
    assert isinstance(digest, Message)
    assert digest.subject == "Dagoverzicht: 2 meldingen"
    assert digest.body.count("Beste Juf Anna") == 1
    assert "aaaa1111" in digest.body and "bbbb2222" in digest.body
    assert "Emma" in digest.body and "Sem" in digest.body
    assert "Met vriendelijke groet" not in digest.body


def test_a_policys_own_text_is_used_per_language_and_checked_when_saved():
    import pytest

    from services.notifications.domain.templates import render
    from shared.errors import RuleViolation

    own = {"intervention.started": {"nl": ["Gestart: {{ pupil }}", "Wij zijn begonnen."]}}
    rules = policy(
        key="own", event_types=["intervention.started"], lead_times_days=[], templates=own
    )
    rules.validate({"intervention.started"})
    texts = {k: {lang: tuple(v) for lang, v in langs.items()} for k, langs in own.items()}
    nl = render(
        "intervention.started",
        "nl",
        {"pupil": "Daan", "recipient_name": "Eva", "school": "X", "reference": "r"},
        overrides=texts,
    )
    assert nl.subject == "Gestart: Daan" and "Wij zijn begonnen." in nl.body
    # No English text of its own: an English reader gets the English default, not Dutch.
    en = render(
        "intervention.started",
        "en",
        {
            "pupil": "Daan",
            "recipient_name": "Eva",
            "school": "X",
            "reference": "r",
            "starts_on": "2026-10-15",
            "evaluate_by": "2026-12-01",
        },
        overrides=texts,
    )
    assert en.subject == "Support started for Daan"

    broken = policy(
        key="own",
        event_types=["intervention.started"],
        lead_times_days=[],
        templates={
            "intervention.started": {"nl": ["{{ pupil", "x"]},
            "case.closed": {"nl": ["a", "b"]},
            "intervention.started.lead": {"en": ["{{ nosuch }}", "x"]},
        },
    )
    with pytest.raises(RuleViolation) as err:
        broken.validate({"intervention.started", "case.closed"})
    messages = " ".join(err.value.errors["templates"])
    assert "case.closed" in messages and "nosuch" in messages and "(nl)" in messages
