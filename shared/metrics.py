"""Prometheus metrics of every process (prometheus_client).

Web apps serve them at GET /metrics (shared.web). gunicorn runs several worker processes and a
Celery worker forks its pool, so a process's counters alone would be a random slice: with
PROMETHEUS_MULTIPROC_DIR set (an empty directory per service and machine, emptied before the
service starts), every process writes its values there and the exposition adds them up
(prometheus_client's multiprocess mode). Processes without a web server of their own (Celery
workers, stream consumers, the relay) serve the same exposition on METRICS_PORT when it is set.

The metric objects are created at import (cheap, and how prometheus_client expects it); the
environment variable must be set before the process starts.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by method, endpoint (the URL rule, never the raw path) and status.",
    ["method", "endpoint", "status"],
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time from the start of a request to its response.",
    ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
EVENTS_CONSUMED = Counter(
    "events_consumed_total",
    "Stream entries a consumer group handled, by event type and result "
    "(processed, duplicate, failed, dead, ignored).",
    ["group", "type", "result"],
)
CONSUMER_PENDING = Gauge(
    "events_consumer_pending",
    "Entries delivered to the group and not acknowledged yet (XPENDING), updated per batch.",
    ["stream", "group"],
    multiprocess_mode="max",
)
CONSUMER_LAG = Gauge(
    "events_consumer_lag",
    "Entries in the stream not yet delivered to the group (XINFO GROUPS lag), updated per batch.",
    ["stream", "group"],
    multiprocess_mode="max",
)
RELAY_PUBLISHED = Counter(
    "relay_published_total", "Outbox rows the relay published to the stream.", ["stream"]
)
NOTIFICATIONS = Counter(
    "notifications_total",
    "Notifications by outcome: planned (rows added), sent, failed (retry planned), dead, "
    "and those held back (cancelled, deferred, skipped).",
    ["status"],
)
REPORT_COMPILE = Histogram(
    "report_compile_duration_seconds",
    "Time to compile one outcome report.",
    ["scope"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)
CELERY_TASKS = Counter(
    "celery_tasks_total", "Celery tasks finished, by task name and state.", ["task", "state"]
)
CELERY_TASK_DURATION = Histogram(
    "celery_task_duration_seconds",
    "Run time of Celery tasks.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 90.0),
)


def registry() -> CollectorRegistry:
    """The registry to expose: all processes of the directory in multiprocess mode, else ours."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return REGISTRY
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=path)
    return collected


def exposition() -> tuple[bytes, str]:
    """The text exposition and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def serve(port: int, addr: str = "0.0.0.0") -> None:
    """Serve /metrics on a port of its own (Celery workers, consumers, the relay)."""
    start_http_server(port, addr=addr, registry=registry())
    log.info("metrics on port %s", port)


def serve_from_env(env: dict[str, str] | Any) -> None:
    """serve() on METRICS_PORT when it is set (METRICS_ADDR: the address, default 0.0.0.0)."""
    port = env.get("METRICS_PORT")
    if port:
        serve(int(port), env.get("METRICS_ADDR") or "0.0.0.0")


def process_exited(pid: int) -> None:
    """Forget an exited process's live gauges (gunicorn child_exit, Celery pool shutdown)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


def observe_consumer(client: redis.Redis, stream: str, group: str) -> None:
    """Update the pending and lag gauges of a consumer group (two cheap Redis calls)."""
    pending = client.xpending(stream, group)
    CONSUMER_PENDING.labels(stream, group).set(int(pending["pending"]))  # type: ignore[index]
    groups: Any = client.xinfo_groups(stream)
    for info in groups:
        if info.get("name") == group and info.get("lag") is not None:
            CONSUMER_LAG.labels(stream, group).set(int(info["lag"]))


def timed(histogram: Histogram, *labels: str) -> Callable[[F], F]:
    """Decorator: observe each call's duration in `histogram` (with these label values)."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with histogram.labels(*labels).time():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
