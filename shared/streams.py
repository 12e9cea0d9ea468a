"""Redis client and stream helpers used by the relay and the consumers."""

from __future__ import annotations

import redis

ENVELOPE_FIELD = "envelope"


def redis_client(url: str) -> redis.Redis:
    """A Redis client that returns str, with timeouts so a dead server fails fast."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=10,
        socket_connect_timeout=5,
        health_check_interval=30,
    )
