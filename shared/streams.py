"""Redis client and stream helpers used by the relay and the consumers."""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import FrameType
from typing import Any

import redis
from marshmallow import ValidationError

from shared import metrics
from shared.config import Settings
from shared.events import Envelope, UnknownEventType
from shared.logging import log_context

log = logging.getLogger(__name__)

ENVELOPE_FIELD = "envelope"
_FAILED = object()  # a handler's outcome for an event that stays pending


class RetryLater(Exception):
    """A dependency (another service) cannot answer now: the work is tried again later. The
    consumer logs it in one line, without a traceback: it is expected, e.g. while cases starts."""


class ConsumerSilent(Exception):
    """A consumer wrote no heartbeat for longer than allowed: it is not consuming."""


def heartbeat_key(stream: str, group: str) -> str:
    """The key a consumer group's consumer writes its last loop's time to."""
    return f"{{{stream}}}:heartbeat:{group}"


def heartbeat_check(
    client: redis.Redis,
    stream: str,
    group: str,
    max_silence_seconds: int,
    now: Callable[[], datetime],
) -> Callable[[], None]:
    """A readiness check: raises ConsumerSilent when the group's consumer wrote no heartbeat in
    the last `max_silence_seconds` (or none at all: after a Redis data loss a live consumer
    writes one within a loop)."""

    def check() -> None:
        raw = client.get(heartbeat_key(stream, group))
        if raw is None:
            raise ConsumerSilent(f"no heartbeat of {group}")
        silence = (now() - datetime.fromisoformat(str(raw))).total_seconds()
        if silence > max_silence_seconds:
            raise ConsumerSilent(f"{group} silent for {silence:.0f} s")

    return check


def consumer_checks(
    settings: Settings, client: redis.Redis, group: str, now: Callable[[], datetime]
) -> dict[str, Callable[[], None]]:
    """The readiness check of a service's consumer group, when the settings ask for one."""
    limit = settings.consumer_max_silence_seconds
    if limit <= 0:
        return {}
    return {"consumer": heartbeat_check(client, settings.event_stream, group, limit, now)}


def redis_client(url: str) -> redis.Redis:
    """A Redis client that returns str, with timeouts so a dead server fails fast."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=10,
        socket_connect_timeout=5,
        health_check_interval=30,
    )


# Publishing, at most once per event id. A relay that crashes after XADD but before marking its
# outbox row published publishes the row again on restart; the script below XADDs an event only
# when it could set its marker (SET NX: the check and the mark in one command, not EXISTS and SET)
# and takes the marker away again when Redis refuses the XADD (so a refused event is not lost: it
# goes out on the next try; the script stops there with Redis's error, as before). A script runs
# atomically, so concurrent publishers of one event id cannot both add it. One call publishes a
# whole batch, in order, in one round trip: KEYS are the stream and then one marker per event,
# ARGV the marker's lifetime, the field name and then the envelopes. The marker lives a day by
# default. The entry ids come back as one string, comma-separated ('' for a dropped duplicate):
# one reply to read, not one per event.
_PUBLISH_ONCE = """
local entries = {}
for i = 2, #KEYS do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    local entry = redis.pcall('XADD', KEYS[1], '*', ARGV[2], ARGV[i + 1])
    if type(entry) == 'table' and entry.err then
      redis.call('DEL', KEYS[i])
      return entry
    end
    entries[i - 1] = entry
  else
    entries[i - 1] = ''
  end
end
return table.concat(entries, ',')
"""


def _entry_id(value: str) -> tuple[int, int]:
    ms, _, seq = value.partition("-")
    return int(ms), int(seq or 0)


def trim_acknowledged(client: redis.Redis, stream: str, keep_since: datetime) -> int:
    """Remove the stream's entries that every consumer group has read and acknowledged and that
    are older than `keep_since`; returns how many went. A group's oldest pending entry (read, not
    yet acknowledged: it may still be retried) and everything after it stays, and so does
    everything after the last entry it was handed; a group that has read nothing keeps the whole
    stream. Those bounds only move forward, so reading them before XTRIM MINID is safe while
    consumers run. (A group created later starts at the oldest entry left; a consumer that
    finds its place trimmed away catches up from the cases event log.) Redis 6.2 or newer."""
    try:
        groups = client.xinfo_groups(stream)
    except redis.ResponseError:  # no such stream: nothing to trim
        return 0
    bounds = [(int(keep_since.timestamp() * 1000), 0)]
    for group in groups:
        ms, seq = _entry_id(str(group["last-delivered-id"]))
        bounds.append((ms, seq + 1))  # entries after the last one handed to the group
        if int(group["pending"]):
            oldest = client.xpending(stream, group["name"])["min"]
            bounds.append(_entry_id(str(oldest)))
    ms, seq = min(bounds)
    return int(client.xtrim(stream, minid=f"{ms}-{seq}", approximate=False))


class StreamPublisher:
    """Publishes envelopes to one stream; duplicates of an event id are dropped by Redis."""

    def __init__(self, client: redis.Redis, stream: str, dedupe_ttl_seconds: int = 86400) -> None:
        self.client = client
        self.stream = stream
        self.ttl = dedupe_ttl_seconds
        self._script = client.register_script(_PUBLISH_ONCE)

    def marker_key(self, event_id: str) -> str:
        # The hash tag keeps marker and stream in one cluster slot, as the script needs.
        return f"{{{self.stream}}}:published:{event_id}"

    def publish_envelope(self, envelope: Envelope) -> str | None:
        """Publish an envelope (its id is the dedupe key)."""
        return self.publish(str(envelope.id), envelope.to_json())

    def publish(self, event_id: str, envelope_json: str) -> str | None:
        """XADD the envelope unless this event id was already published; returns the entry id."""
        return self.publish_many([(event_id, envelope_json)])[0]

    def publish_many(self, events: Sequence[tuple[str, str]]) -> list[str | None]:
        """XADD (event id, envelope) pairs in order, each unless its id was already published,
        in one round trip; returns each entry id (None for a dropped duplicate)."""
        if not events:
            return []
        result = self._script(
            keys=[self.stream, *(self.marker_key(event_id) for event_id, _ in events)],
            args=[self.ttl, ENVELOPE_FIELD, *(envelope for _, envelope in events)],
        )
        # A client without decode_responses reads bytes, as it did each entry id before.
        entries = result.split(b"," if isinstance(result, bytes) else ",")
        return [entry or None for entry in entries]


def stop_on_signals(name: str) -> threading.Event:
    """An event set by SIGTERM or SIGINT: a long-running loop checks it between batches, so a
    stopped process finishes (and acknowledges) what it holds and exits cleanly."""
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s stopping on signal %s after the current batch", name, signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return stop


def _result(outcome: object) -> str:
    """How a handled event counts: a handler's False says it was seen before."""
    return "duplicate" if outcome is False else "processed"


def _event_type(fields: dict[str, str]) -> str:
    """The `type` of an entry's envelope for the metrics, or "unknown"."""
    try:
        value = json.loads(fields[ENVELOPE_FIELD]).get("type")
    except (KeyError, ValueError, AttributeError):
        return "unknown"
    return value if isinstance(value, str) and len(value) <= 64 else "unknown"


class StreamConsumer:
    """Reads a Redis Stream in a consumer group, at least once, acking only after the handler
    committed its effect. Entries left pending by a crashed consumer are reclaimed (XAUTOCLAIM)
    after `claim_idle_ms`; an entry delivered more than `max_deliveries` times, or one that does
    not parse, goes to the dead-letter stream `<stream>:dead` and is acked.

    The handler may return False to say the event was seen before (counted as a duplicate in the
    metrics); it runs with the event id and the envelope's request id in the logs' context.
    `handle_batch`, when given, handles a whole batch read (`batch` entries at most) in one
    transaction and returns one outcome per event; the batch is acknowledged in one XACK after it
    returned. When it raises (other than RetryLater) the batch's events go to `handle` one by one.

    `recover` (a catch-up from the producer's event log) runs when the loop starts and whenever
    the group had to be created again (the stream or group vanished: Redis lost its data); while
    it raises RetryLater it is tried again every `recover_retry_seconds`, and the stream is
    consumed meanwhile. Each loop writes a heartbeat (`heartbeat_key`) with the time of `now`."""

    def __init__(
        self,
        client: redis.Redis,
        stream: str,
        group: str,
        consumer: str,
        handle: Callable[[Envelope], object],
        *,
        handle_batch: Callable[[list[Envelope]], Sequence[object]] | None = None,
        claim_idle_ms: int = 60_000,
        max_deliveries: int = 30,
        batch: int = 50,
        block_ms: int = 1000,
        recover: Callable[[], object] | None = None,
        recover_retry_seconds: float = 10.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.handle = handle
        self.handle_batch = handle_batch
        self.claim_idle_ms = claim_idle_ms
        self.max_deliveries = max_deliveries
        self.batch = batch
        self.block_ms = block_ms
        self.dead_letter = f"{stream}:dead"
        self.recover = recover
        self.recover_retry_seconds = recover_retry_seconds
        self.now = now
        self._recovery_due = False
        self._next_recovery = 0.0

    def ensure_group(self) -> bool:
        """Create the group at the start of the stream (so nothing published earlier is missed);
        True when it had to be created."""
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as err:
            if "BUSYGROUP" not in str(err):
                raise
            return False
        return True

    def run_once(self) -> int:
        """Reclaim stale entries, then read new ones (up to `batch` of each); returns how many
        were handled. Each batch is handled (in one transaction with `handle_batch`) and then
        acknowledged with one XACK: never before its effect is committed."""
        _next, claimed, *_ = self.client.xautoclaim(
            self.stream,
            self.group,
            self.consumer,
            min_idle_time=self.claim_idle_ms,
            start_id="0-0",
            count=self.batch,
        )
        handled = self._process_batch(claimed, reclaimed=True)
        response: list[Any] = self.client.xreadgroup(  # type: ignore[assignment]
            self.group, self.consumer, {self.stream: ">"}, count=self.batch, block=self.block_ms
        )
        for _stream, entries in response or []:
            handled += self._process_batch(entries, reclaimed=False)
        self._observe()
        return handled

    def run_own_pending(self) -> int:
        """Handle the entries this consumer name was given and never acknowledged (a restart
        after a crash), at once instead of after `claim_idle_ms`; returns how many."""
        handled = 0
        start = "0-0"
        while True:
            response: list[Any] = self.client.xreadgroup(  # type: ignore[assignment]
                self.group, self.consumer, {self.stream: start}, count=self.batch
            )
            entries = response[0][1] if response else []
            if not entries:
                return handled
            handled += self._process_batch(
                [(entry_id, fields or None) for entry_id, fields in entries], reclaimed=True
            )
            start = entries[-1][0]

    def _observe(self) -> None:
        try:
            metrics.observe_consumer(self.client, self.stream, self.group)
        except redis.ResponseError:  # the stream or group vanished meanwhile: next batch
            pass

    def _count(self, event_type: str, result: str) -> None:
        metrics.EVENTS_CONSUMED.labels(self.group, event_type, result).inc()

    def _ack(self, entry_ids: Sequence[str]) -> None:
        """Acknowledge entries in one XACK (called only after their effects were committed)."""
        if entry_ids:
            self.client.xack(self.stream, self.group, *entry_ids)

    def _process_batch(self, entries: Sequence[Any], reclaimed: bool) -> int:
        """Handle a batch of entries and acknowledge what was handled in one XACK."""
        ready = [
            (entry_id, envelope)
            for entry_id, fields in entries
            if (envelope := self._envelope(entry_id, fields, reclaimed)) is not None
        ]
        if not ready:
            return 0
        if self.handle_batch is not None and len(ready) > 1:
            outcomes = self._handle_together(ready)
        else:
            outcomes = [self._handle_one(envelope, entry_id) for entry_id, envelope in ready]
        done = [(entry_id, env, out) for (entry_id, env), out in zip(ready, outcomes, strict=True)]
        done = [item for item in done if item[2] is not _FAILED]
        self._ack([entry_id for entry_id, _env, _out in done])
        counts = Counter((envelope.type, _result(outcome)) for _entry_id, envelope, outcome in done)
        for (event_type, result), count in counts.items():
            metrics.EVENTS_CONSUMED.labels(self.group, event_type, result).inc(count)
        if log.isEnabledFor(logging.INFO):  # a line per event, when someone reads them
            self._log_done(done)
        return len(done)

    def _log_done(self, done: list[tuple[str, Envelope, object]]) -> None:
        for entry_id, envelope, outcome in done:
            result = _result(outcome)
            with log_context(request_id=envelope.request_id, event_id=str(envelope.id)):
                log.info(
                    "event %s %s by %s",
                    envelope.type,
                    result,
                    self.group,
                    extra={"entry_id": entry_id, "event_type": envelope.type, "result": result},
                )

    def _envelope(
        self, entry_id: str, fields: dict[str, str] | None, reclaimed: bool
    ) -> Envelope | None:
        """The entry's envelope, or None when it was trimmed away, is not for us (acked) or
        goes to the dead letters (too many deliveries, unparseable)."""
        if fields is None:  # trimmed away while pending
            self._ack([entry_id])
            return None
        if reclaimed and self._deliveries(entry_id) > self.max_deliveries:
            self._bury(entry_id, fields, "too many deliveries")
            return None
        try:
            return Envelope.from_json(fields[ENVELOPE_FIELD])
        except UnknownEventType:
            self._ack([entry_id])  # not for us (a newer producer)
            self._count("unknown", "ignored")
        except (KeyError, ValueError, ValidationError):
            self._bury(entry_id, fields, "unparseable envelope")
        return None

    def _handle_together(self, ready: list[tuple[str, Envelope]]) -> list[object]:
        """The batch handler over the whole batch; when it fails other than RetryLater, each
        event is handled alone, so one poison event stays pending (and goes to the dead letters
        after `max_deliveries`) without holding back the others."""
        assert self.handle_batch is not None
        try:
            return list(self.handle_batch([envelope for _entry, envelope in ready]))
        except RetryLater as err:  # expected (a service still starting): one line
            log.warning("%d events stay pending: %s", len(ready), err)
            for _entry, envelope in ready:
                self._count(envelope.type, "failed")
            return [_FAILED] * len(ready)
        except Exception:  # noqa: BLE001 - find the failing event: one by one
            log.warning("a batch of %d events failed; handling them one by one", len(ready))
            return [self._handle_one(envelope, entry_id) for entry_id, envelope in ready]

    def _handle_one(self, envelope: Envelope, entry_id: str) -> object:
        """The handler over one event; _FAILED when it raised (the entry stays pending)."""
        with log_context(request_id=envelope.request_id, event_id=str(envelope.id)):
            try:
                return self.handle(envelope)
            except RetryLater as err:  # expected (a service still starting): one line
                log.warning("event %s (%s) stays pending: %s", envelope.id, entry_id, err)
            except Exception:  # noqa: BLE001 - left pending, retried after claim_idle_ms
                log.exception("event %s (%s) failed; it stays pending", envelope.id, entry_id)
            self._count(envelope.type, "failed")
            return _FAILED

    def _deliveries(self, entry_id: str) -> int:
        pending = self.client.xpending_range(
            self.stream, self.group, min=entry_id, max=entry_id, count=1
        )
        return int(pending[0]["times_delivered"]) if pending else 0

    def _bury(self, entry_id: str, fields: dict[str, str], reason: str) -> None:
        log.error("entry %s moved to %s: %s", entry_id, self.dead_letter, reason)
        buried: dict[Any, Any] = {
            **fields,
            "reason": reason,
            "entry_id": entry_id,
            "group": self.group,
        }
        self.client.xadd(self.dead_letter, buried)
        self._ack([entry_id])
        self._count(_event_type(fields), "dead")

    def replay_dead(self) -> tuple[int, int]:
        """Hand every dead-lettered entry of this group to the handler again (after the cause,
        e.g. a long outage of another service, is gone); entries it accepts leave the dead-letter
        stream. The handler is idempotent by event id. Returns (replayed, still dead)."""
        replayed = failed = 0
        entries: list[Any] = self.client.xrange(self.dead_letter)  # type: ignore[assignment]
        for entry_id, fields in entries:
            if fields.get("group") != self.group:
                continue
            try:
                self.handle(Envelope.from_json(fields[ENVELOPE_FIELD]))
            except Exception:  # noqa: BLE001 - reported per entry, the rest still replays
                log.exception("dead entry %s still fails", entry_id)
                failed += 1
                continue
            self.client.xdel(self.dead_letter, entry_id)
            replayed += 1
        return replayed, failed

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set, checked between batches: a batch read is handled and
        acknowledged to the end, so a stopped consumer leaves nothing of it pending (what failed
        stays pending and is reclaimed). Redis outages are waited out, not fatal; a stream or
        group that vanished (Redis restarted without its data) is created again and the events
        it held are caught up by `recover`."""
        self._recovery_due = self.recover is not None
        while not stop.is_set():
            try:
                if self.ensure_group() and self.recover is not None:
                    self._recovery_due = True
                self.run_own_pending()
                while not stop.is_set():
                    self.beat()
                    self.recover_if_due()
                    self.run_once()
            except (redis.ConnectionError, redis.TimeoutError) as err:
                log.warning("consumer cannot reach Redis (%s); retrying", type(err).__name__)
                stop.wait(2.0)
            except redis.ResponseError as err:
                if "NOGROUP" not in str(err):
                    raise
                log.warning("stream %s or group %s vanished; creating it", self.stream, self.group)

    def beat(self) -> None:
        """Write the heartbeat: this consumer is consuming now (read by /health/ready)."""
        self.client.set(heartbeat_key(self.stream, self.group), self.now().isoformat())

    def recover_if_due(self) -> None:
        """Run the catch-up if it is due and its retry interval has passed; one line per failure."""
        if not self._recovery_due or self.recover is None or time.monotonic() < self._next_recovery:
            return
        try:
            self.recover()
        except RetryLater as err:
            log.warning("%s cannot catch up yet (%s); retrying", self.group, err)
            self._next_recovery = time.monotonic() + self.recover_retry_seconds
            return
        self._recovery_due = False
