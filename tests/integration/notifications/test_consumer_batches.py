"""The notifications consumer in batches (issue 15): a batch read is planned with one audience
call to the (real) cases service and one transaction, and acknowledged in one XACK only after that
transaction committed; a consumer killed between the commit and the XACK gets the batch again,
and the redelivery changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from services.notifications.adapters import orm
from shared.streams import StreamConsumer
from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_consumer import (
    expected_intervention_rows,
    intervention_rows,
)
from tests.support.api_flows import open_case, start_intervention


class Killed(BaseException):
    """The process dies: nothing after this point of the consumer runs."""


def processed_count(notifications) -> int:
    with notifications.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(orm.processed_events)).scalar_one()


def snapshot(notifications) -> list[tuple[Any, ...]]:
    return sorted(
        (str(r["id"]), r["status"], r["dedupe_key"], r["send_at"]) for r in rows(notifications)
    )


def test_a_batch_asks_cases_for_its_audiences_once(notifications, world, pipeline):
    case = open_case(world)
    start_intervention(world, case["id"])
    published = pipeline.relay()
    pipeline.consumer.batch = published  # every event in one batch read
    calls = notifications.directory.audience_calls

    assert pipeline.consume() == published
    assert notifications.directory.audience_calls - calls == 1
    assert pipeline.pending() == 0
    # Events of different cases and schools were planned from that one answer: the intervention
    # (pupil a1's case) and School A1's support profile.
    assert intervention_rows(notifications, case["id"]) == expected_intervention_rows(case["id"])
    assert rows(notifications, policy_key="support_profile_review")


def test_a_batch_is_acked_only_after_its_commit_and_a_redelivery_changes_nothing(
    notifications, world, pipeline, monkeypatch: pytest.MonkeyPatch
):
    case = open_case(world)
    start_intervention(world, case["id"])
    published = pipeline.relay()
    consumer = pipeline.consumer
    consumer.batch = published

    def die(_entry_ids: Any) -> None:
        raise Killed  # between the batch's commit and its XACK

    monkeypatch.setattr(consumer, "_ack", die)
    with pytest.raises(Killed):
        consumer.run_once()
    assert pipeline.pending() == published  # nothing acknowledged...
    planned = snapshot(notifications)
    assert intervention_rows(notifications, case["id"]) == expected_intervention_rows(case["id"])
    assert processed_count(notifications) == published  # ...but all of it committed

    restarted = StreamConsumer(
        consumer.client,
        consumer.stream,
        consumer.group,
        consumer.consumer,
        consumer.handle,
        handle_batch=consumer.handle_batch,
        batch=published,
        claim_idle_ms=0,
        block_ms=10,
    )
    assert restarted.run_own_pending() == published  # the batch again, each a duplicate
    assert pipeline.pending() == 0
    assert snapshot(notifications) == planned  # changed nothing
    assert processed_count(notifications) == published
