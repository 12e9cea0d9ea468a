"""Reads the cases service's event log (`GET /api/v1/events`) with a short-lived service token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import requests
from marshmallow import ValidationError

from shared.auth import service_token
from shared.clock import Clock
from shared.events import Envelope, EnvelopeSchema, UnknownEventType

log = logging.getLogger(__name__)


class EventLogUnavailable(Exception):
    """The cases service did not answer with a page of the log."""


class CasesEventLog:
    """HTTP client of the event log, paging by sequence number."""

    def __init__(self, base_url: str, jwt_secret: str, clock: Clock, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = jwt_secret
        self.clock = clock
        self.timeout = timeout
        self.http = requests.Session()

    def _token(self) -> str:
        return service_token("reports", self.secret, self.clock.now(), timedelta(minutes=5))

    def page(self, after: int, limit: int) -> tuple[list[Envelope], int, int]:
        """The envelopes after `after`, the last sequence number read and how many entries came."""
        try:
            response = self.http.get(
                f"{self.base_url}/api/v1/events",
                params={"after": after, "limit": limit},
                headers={"Authorization": f"Bearer {self._token()}"},
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise EventLogUnavailable(type(err).__name__) from err
        if response.status_code != 200:
            raise EventLogUnavailable(f"HTTP {response.status_code}: {response.text[:200]}")
        body = response.json()
        envelopes = [e for e in (_parse(item) for item in body["items"]) if e is not None]
        return envelopes, int(body["next_after"]), len(body["items"])

    def pages(self, after: int, limit: int) -> Iterator[list[Envelope]]:
        """Every page from `after` to the end of the log."""
        while True:
            envelopes, after, count = self.page(after, limit)
            if count == 0:
                return
            yield envelopes


def _parse(item: dict[str, Any]) -> Envelope | None:
    """An envelope, or None for what the stream consumer would not handle either: a type this code
    does not know is skipped, an invalid one is logged (the consumer dead-letters it)."""
    try:
        return EnvelopeSchema().load(item["envelope"])
    except UnknownEventType:
        return None
    except (KeyError, ValueError, ValidationError):
        log.error("event log entry %s is not a valid envelope; skipped", item.get("seq"))
        return None
