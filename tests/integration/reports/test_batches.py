"""The reports consumer in batches (issue 15): a batch projected in one transaction gives the
read model one-by-one projection gives (each row sees its changes in order), is acknowledged in
one XACK only after its commit, and a consumer killed between the commit and the XACK gets the
batch again and changes nothing."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from services.reports.__main__ import consumer
from services.reports.service_layer.projector import project, project_batch
from shared.streams import StreamConsumer, StreamPublisher
from tests.conftest import NOW
from tests.integration.reports.helpers import dump
from tests.integration.reports.test_figures import school_a_interventions, school_a_plans
from tests.integration.reports.test_projection import second  # noqa: F401  (fixture)
from tests.unit.reports.test_projector import a_whole_plan


class Killed(BaseException):
    """The process dies: nothing after this point of the consumer runs."""


def history():
    stories = [*school_a_interventions(), *school_a_plans(), a_whole_plan()]
    return [e for s in stories for e in s.events]


@pytest.mark.parametrize("size", [7, 1000])
def test_a_batch_gives_the_read_model_of_one_by_one(reports, second, size):  # noqa: F811
    events = history()
    for e in events:
        project(e, reports.store, NOW)
    outcomes: list[bool] = []
    for start in range(0, len(events), size):  # batches mixing subjects, schools and types
        outcomes += project_batch(events[start : start + size], second.store, NOW)
    assert outcomes == [True] * len(events)
    assert dump(second) == dump(reports)
    # Seen before, or twice in one batch: duplicates, and nothing changes.
    repeat = project_batch([events[0], *events[:3], events[0]], second.store, NOW)
    assert repeat == [False] * 5
    assert dump(second) == dump(reports)


def test_a_batch_is_acked_only_after_its_commit_and_a_redelivery_changes_nothing(
    reports, monkeypatch: pytest.MonkeyPatch
):
    events = history()
    publisher = StreamPublisher(reports.redis, reports.settings.event_stream)
    for e in events:
        publisher.publish_envelope(e)
    runner = consumer(reports, batch=len(events), claim_idle_ms=0, block_ms=10, recover=None)
    runner.ensure_group()

    def die(_entry_ids: Any) -> None:
        raise Killed  # between the batch's commit and its XACK

    monkeypatch.setattr(runner, "_ack", die)
    with pytest.raises(Killed):
        runner.run_once()
    group = reports.settings.consumer_group
    assert reports.redis.xpending(runner.stream, group)["pending"] == len(events)
    projected = dump(reports)
    assert projected["interventions"]  # committed before the XACK that never came

    restarted = StreamConsumer(
        runner.client,
        runner.stream,
        group,
        runner.consumer,
        runner.handle,
        handle_batch=runner.handle_batch,
        batch=len(events),
        block_ms=10,
    )
    assert restarted.run_own_pending() == len(events)  # delivered again: all duplicates
    assert reports.redis.xpending(runner.stream, group)["pending"] == 0
    assert dump(reports) == projected


def test_changes_to_one_row_in_one_batch_apply_in_their_order(reports):
    """apply_many groups changes of one shape in one statement, but never so that a row sees its
    changes out of order: here a grouping by shape alone would leave "declined"."""
    from uuid import uuid4

    from services.reports.domain.read_model import Fact, Upsert

    plan, ids = uuid4(), {"partnership_id": uuid4(), "school_id": uuid4(), "case_id": uuid4()}
    declined = {**ids, "consent_decision": "declined", "close_reason": "x"}
    with reports.store() as store:
        store.apply_many(
            [
                Upsert(Fact.PLANS, plan, {**ids, "consent_decision": "agreed"}),
                Upsert(Fact.PLANS, plan, declined),
                Upsert(Fact.PLANS, plan, {**ids, "consent_decision": "agreed"}),
            ]
        )
        store.commit()
    [row] = [r for r in dump(reports)["development_plans"] if r["plan_id"] == plan]
    assert (row["consent_decision"], row["close_reason"]) == ("agreed", "x")


def test_a_change_repeated_after_another_of_its_shape_is_applied_again(reports):
    """Parents agree, decline and agree again on one day, the three answers in one batch: the
    plan's latest answer is "agreed". Only a change repeated right after itself may be skipped;
    one seen earlier in the batch, with another change of the row between, may not."""
    from uuid import uuid4

    from services.reports.domain.read_model import Fact, Upsert

    plan, ids = uuid4(), {"partnership_id": uuid4(), "school_id": uuid4(), "case_id": uuid4()}
    agreed = {**ids, "consent_decision": "agreed"}
    declined = {**ids, "consent_decision": "declined"}
    with reports.store() as store:
        store.apply_many(
            [
                Upsert(Fact.PLANS, plan, agreed),
                Upsert(Fact.PLANS, plan, declined),
                Upsert(Fact.PLANS, plan, agreed),
                Upsert(Fact.PLANS, plan, agreed),
            ]
        )
        store.commit()
    [row] = [r for r in dump(reports)["development_plans"] if r["plan_id"] == plan]
    assert row["consent_decision"] == "agreed"


def test_a_consumer_killed_inside_a_batch_leaves_nothing_of_it_and_the_redelivery_projects_it(
    reports,
    second,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
):
    """Killed after the batch's processed marks and its first statements were sent, before its
    commit: nothing of the batch stays (no mark without its facts), every entry stays pending,
    and the restarted consumer projects the whole batch to what one-by-one projection gives."""
    from services.reports.adapters.store import Store

    events = history()
    for e in events:
        project(e, second.store, NOW)
    publisher = StreamPublisher(reports.redis, reports.settings.event_stream)
    for e in [*events, events[0], events[1]]:  # two entries delivered twice: duplicates
        publisher.publish(str(uuid4()), e.to_json())
    runner = consumer(reports, batch=1000, claim_idle_ms=0, block_ms=10, recover=None)
    runner.ensure_group()
    sent = Store._upsert_groups

    def die_on_the_second_round(store: Store, groups: Any) -> None:
        if getattr(store, "_rounds", 0) == 1:
            raise Killed  # the process dies inside the transaction
        store._rounds = getattr(store, "_rounds", 0) + 1  # type: ignore[attr-defined]
        sent(store, groups)

    monkeypatch.setattr(Store, "_upsert_groups", die_on_the_second_round)
    with pytest.raises(Killed):
        runner.run_once()
    group = reports.settings.consumer_group
    assert reports.redis.xpending(runner.stream, group)["pending"] == len(events) + 2
    assert not any(dump(reports).values())  # neither marks nor facts

    monkeypatch.setattr(Store, "_upsert_groups", sent)
    assert runner.run_own_pending() == len(events) + 2
    assert reports.redis.xpending(runner.stream, group)["pending"] == 0
    assert dump(reports) == dump(second)
