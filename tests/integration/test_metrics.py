"""Prometheus metrics against the real services, Redis and databases: GET /metrics of the cases
app (per URL rule, never a raw path with ids; behind the token when one is set), the consumer's
results and its pending and lag gauges, the relay's counter, and the multiprocess mode that adds
up the values of several processes."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import uuid
from datetime import UTC, date, datetime

from prometheus_client import REGISTRY

from services.cases.adapters.relay import relay_once
from services.cases.app import create_app
from services.cases.bootstrap import bootstrap
from shared.events import Envelope, Subject
from shared.streams import ENVELOPE_FIELD, StreamConsumer, StreamPublisher
from tests.support.api_flows import open_case
from tests.support.processes import PYTHON, ROOT, service_env


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_cases_metrics_count_requests_by_url_rule(client, world) -> None:
    case = open_case(world)
    before = sample(
        "http_requests_total", method="GET", endpoint="/api/v1/cases/<uuid:case_id>", status="200"
    )
    response = world.call("coordinator_a1", "GET", f"/api/v1/cases/{case['id']}")
    assert response.status_code == 200
    text = client.get("/metrics").get_data(as_text=True)
    line = re.search(
        r'^http_requests_total\{endpoint="/api/v1/cases/<uuid:case_id>",method="GET",'
        r'status="200"\} (\S+)$',
        text,
        re.MULTILINE,
    )
    assert line and float(line.group(1)) == before + 1
    assert case["id"] not in text  # ids never become label values
    assert "http_request_duration_seconds_bucket" in text


def test_cases_metrics_need_the_configured_token(container, clock) -> None:
    settings = dataclasses.replace(container.settings, metrics_token="scrape-me-please")
    guarded = bootstrap(settings, clock=clock)
    try:
        client = create_app(container=guarded).test_client()
        assert client.get("/metrics").status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
        assert ok.status_code == 200 and "http_requests_total" in ok.get_data(as_text=True)
        assert client.get("/health").status_code == 200  # health stays open
    finally:
        guarded.close()


def test_the_relay_counts_what_it_published(container, world, stream_name) -> None:
    open_case(world)
    before = sample("relay_published_total", stream=stream_name)
    published = relay_once(
        container.sessions, StreamPublisher(container.redis, stream_name), container.clock
    )
    assert published >= 1
    assert sample("relay_published_total", stream=stream_name) == before + published


def enrolled(pupil_id: uuid.UUID) -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        type="pupil.enrolled",
        version=1,
        occurred_at=datetime(2026, 10, 15, 8, 0, tzinfo=UTC),
        partnership_id=uuid.uuid4(),
        school_id=uuid.uuid4(),
        subject=Subject("pupil", pupil_id),
        data={"pupil_id": pupil_id, "enrolled_on": date(2026, 9, 1)},
    )


def test_the_consumer_counts_results_and_reports_pending_and_lag(redis_client, stream_name) -> None:
    group = f"g-{uuid.uuid4().hex[:8]}"
    envelopes = [enrolled(uuid.uuid4()) for _ in range(4)]
    seen: set[uuid.UUID] = set()
    failing = envelopes[2].id

    def handle(envelope: Envelope) -> bool:
        if envelope.id == failing:
            raise RuntimeError("the database is away")
        if envelope.id in seen:
            return False
        seen.add(envelope.id)
        return True

    consumer = StreamConsumer(redis_client, stream_name, group, "c1", handle, batch=3, block_ms=10)
    consumer.ensure_group()
    for envelope in [*envelopes, envelopes[0]]:  # the first one twice
        redis_client.xadd(stream_name, {ENVELOPE_FIELD: envelope.to_json()})
    redis_client.xadd(stream_name, {ENVELOPE_FIELD: "not an envelope"})

    def count(result: str) -> float:
        return sample("events_consumed_total", group=group, type="pupil.enrolled", result=result)

    consumer.run_once()  # three of six read
    assert sample("events_consumer_lag", stream=stream_name, group=group) == 3
    assert sample("events_consumer_pending", stream=stream_name, group=group) == 1  # the failure
    consumer.run_once()
    assert (count("processed"), count("duplicate"), count("failed")) == (3, 1, 1)
    assert sample("events_consumed_total", group=group, type="unknown", result="dead") == 1
    assert sample("events_consumer_lag", stream=stream_name, group=group) == 0
    assert sample("events_consumer_pending", stream=stream_name, group=group) == 1


COUNT_IN_CHILD = """
from shared import metrics
metrics.HTTP_REQUESTS.labels("GET", "/health", "200").inc({n})
"""


def test_multiprocess_mode_adds_up_the_processes(tmp_path) -> None:
    """Several gunicorn or Celery pool processes write to one directory; any of them exposes the
    sum (PROMETHEUS_MULTIPROC_DIR must be set before the process starts)."""
    env = service_env({"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    for n in (2, 5):
        subprocess.run([PYTHON, "-c", COUNT_IN_CHILD.format(n=n)], env=env, cwd=ROOT, check=True)
    exposed = subprocess.run(
        [PYTHON, "-c", "from shared import metrics; print(metrics.exposition()[0].decode())"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert re.search(
        r'^http_requests_total\{endpoint="/health",method="GET",status="200"\} 7\.0$',
        exposed,
        re.MULTILINE,
    ), exposed
