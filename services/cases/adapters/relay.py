"""The outbox relay: publish committed outbox rows to the Redis Stream, in order.

Only one relay works on a stream at a time (a lease in Redis), so events keep their order per
subject; a second relay started for availability waits and takes over when the first stops.
"""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from types import FrameType

import redis
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from services.cases.adapters import outbox
from shared import metrics
from shared.clock import Clock
from shared.logging import log_context
from shared.streams import StreamPublisher

log = logging.getLogger(__name__)


def relay_once(
    sessions: sessionmaker, publisher: StreamPublisher, clock: Clock, batch_size: int = 1000
) -> int:
    """Publish one batch of unpublished rows and mark them; returns how many.

    Reading, publishing and marking are three steps, so no database lock is held while Redis is
    talked to (on SQLite that lock would stall every writer). A crash between publishing and
    marking publishes the rows again on restart, and the publisher's per-event marker drops them.
    The batch goes to Redis in one round trip (one script call), not one per event.
    """
    with sessions() as session, session.begin():
        rows = outbox.unpublished(session, batch_size)
    entries = publisher.publish_many([(str(row.id), row.envelope) for row in rows])
    if log.isEnabledFor(logging.DEBUG):  # one line per event only when asked for
        for row, entry in zip(rows, entries, strict=True):
            with log_context(request_id=row.request_id, event_id=str(row.id)):
                log.debug("event published as %s", entry or "a duplicate (dropped)")
    if rows:
        with sessions() as session, session.begin():
            outbox.mark_published(session, [row.seq for row in rows], clock.now())
        metrics.RELAY_PUBLISHED.labels(publisher.stream).inc(len(rows))
    return len(rows)


class Lease:
    """A renewable lock in Redis naming one holder."""

    _RENEW = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('PEXPIRE', KEYS[1], ARGV[2])
    end
    return 0
    """

    def __init__(self, client: redis.Redis, key: str, ttl_ms: int = 15000) -> None:
        self.client = client
        self.key = key
        self.ttl_ms = ttl_ms
        self.token = uuid.uuid4().hex
        self._renew = client.register_script(self._RENEW)

    def hold(self) -> bool:
        """Take or keep the lease; False when another holder has it."""
        if self._renew(keys=[self.key], args=[self.token, self.ttl_ms]):
            return True
        return bool(self.client.set(self.key, self.token, nx=True, px=self.ttl_ms))

    _RELEASE = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then
      return redis.call('DEL', KEYS[1])
    end
    return 0
    """

    def release(self) -> None:
        """Give the lease up, only if it is still ours (one atomic compare-and-delete)."""
        self.client.eval(self._RELEASE, 1, self.key, self.token)


def run_relay(
    sessions: sessionmaker,
    client: redis.Redis,
    stream: str,
    clock: Clock,
    batch_size: int,
    poll_seconds: float,
    stop: threading.Event | None = None,
) -> None:
    """Relay until stopped (SIGTERM/SIGINT finish the current batch first)."""
    stop = stop or threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("relay stopping on signal %s", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    publisher = StreamPublisher(client, stream)
    lease = Lease(client, f"{{{stream}}}:relay-lease")
    log.info("relay started for stream %s", stream)
    try:
        while not stop.is_set():
            try:
                if not lease.hold():
                    stop.wait(poll_seconds * 4)
                    continue
                if relay_once(sessions, publisher, clock, batch_size) < batch_size:
                    stop.wait(poll_seconds)
            except (redis.RedisError, OSError, OperationalError) as err:
                log.warning(
                    "relay cannot reach Redis or the database (%s); retrying", type(err).__name__
                )
                stop.wait(min(5.0, poll_seconds * 4))
    finally:
        try:
            lease.release()
        except redis.RedisError:
            pass
