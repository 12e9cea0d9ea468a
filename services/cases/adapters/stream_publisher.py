"""Appends envelopes to the Redis Stream, at most once per event id.

A relay that crashes after XADD but before marking the outbox row published would publish the row
again on restart. The Lua script makes XADD conditional on a per-event marker set in the same
atomic step, so the retry is a no-op while the marker lives (a day by default).
"""

from __future__ import annotations

import redis

from shared.streams import ENVELOPE_FIELD

# XADD before setting the marker: a script is not rolled back, so a marker set ahead of an XADD that
# Redis then refuses (out of memory, wrong key type) would drop the event on every retry.
_PUBLISH_ONCE = """
if redis.call('EXISTS', KEYS[2]) == 1 then
  return false
end
local entry = redis.call('XADD', KEYS[1], '*', ARGV[3], ARGV[1])
redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[2]))
return entry
"""


class StreamPublisher:
    """Publishes outbox rows to one stream; duplicates of an event id are dropped by Redis."""

    def __init__(self, client: redis.Redis, stream: str, dedupe_ttl_seconds: int = 86400) -> None:
        self.client = client
        self.stream = stream
        self.ttl = dedupe_ttl_seconds
        self._script = client.register_script(_PUBLISH_ONCE)

    def marker_key(self, event_id: str) -> str:
        # The hash tag keeps marker and stream in one cluster slot, as the script needs.
        return f"{{{self.stream}}}:published:{event_id}"

    def publish(self, event_id: str, envelope_json: str) -> str | None:
        """XADD the envelope unless this event id was already published; returns the entry id."""
        result = self._script(
            keys=[self.stream, self.marker_key(event_id)],
            args=[envelope_json, self.ttl, ENVELOPE_FIELD],
        )
        return result or None
