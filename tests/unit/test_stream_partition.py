"""OPERATIONS.md: `EVENT_STREAM` (default `events`) partitions the event flow by deployment, and
every key that belongs with a stream carries its name as a Redis Cluster hash tag, so a stream
and its keys share one slot and different streams spread over the nodes."""

from __future__ import annotations

import redis

from services.notifications.config import NotificationsSettings
from shared.streams import StreamPublisher, heartbeat_key

ENV = {
    "NOTIFICATIONS_DATABASE_URL": "sqlite://",
    "CASES_URL": "http://cases",
    "NOTIFICATIONS_ENCRYPTION_KEY": "k",
    "NOTIFICATIONS_MAIL_URL": "mailto://mail.example:25?from=noreply@swv.test",
    "JWT_SECRET": "s",
}


def test_the_event_stream_setting_and_its_default() -> None:
    assert NotificationsSettings.from_env(ENV).event_stream == "events"
    noord = NotificationsSettings.from_env(ENV | {"EVENT_STREAM": "events-noord"})
    assert noord.event_stream == "events-noord"


def test_a_streams_keys_carry_its_name_as_hash_tag() -> None:
    client = redis.Redis(host="127.0.0.1", port=1)  # never connected: keys only
    publisher = StreamPublisher(client, "events-noord")
    assert publisher.marker_key("e1") == "{events-noord}:published:e1"
    heartbeat = heartbeat_key("events-noord", "notifications")
    assert heartbeat == "{events-noord}:heartbeat:notifications"
