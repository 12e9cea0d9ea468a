"""Redis restarted without its data: the reports consumer, like the notifications one, creates
its group again and catches up from the cases event log, so the read model misses no event."""

from __future__ import annotations

from services.reports.__main__ import consumer
from services.reports.adapters import orm
from shared.streams import redis_client
from tests.integration.reports.conftest import reports_container
from tests.support.api_flows import open_case, start_intervention
from tests.support.processes import wait_until
from tests.support.redis_loss import ConsumerThread, outbox_ids, processed_ids, relay_all


def test_events_lost_with_redis_reach_the_read_model(
    container, world, own_redis, reports_databases, db_kind, stream_name, clock, cases_server
):
    reports = reports_container(db_kind, reports_databases, stream_name, clock, cases_server.url)
    reports.redis = redis_client(own_redis.url)
    case = open_case(world)
    start_intervention(world, case["id"])
    assert relay_all(container, own_redis.url, stream_name) == len(outbox_ids(container)) >= 10
    own_redis.restart()  # every event was published, none consumed: all gone from Redis

    live = ConsumerThread(consumer(reports, block_ms=50, recover_retry_seconds=0.2))
    try:
        wanted = outbox_ids(container)
        wait_until(lambda: processed_ids(reports.engine, orm.processed_events) == wanted)

        reports.redis.delete(stream_name)  # NOGROUP under a running consumer
        start_intervention(world, case["id"], evaluate_by="2026-11-09")
        relay_all(container, own_redis.url, stream_name)
        wanted = outbox_ids(container)
        wait_until(lambda: processed_ids(reports.engine, orm.processed_events) == wanted)
        assert live.thread.is_alive()
    finally:
        live.close()
        reports.engine.dispose()
        reports.redis.close()
