"""One request id from the HTTP request to the delivery: the X-Request-ID a caller gives to a cases
POST is answered back, written on the outbox row, carried in the stream envelope, set in the
notifications consumer's log context, stored on the planned notification and written on the
delivery's log line (with the event id). Everything real: both services' databases, Redis, the
cases app over HTTP for the audience, an SMTP server."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from services.cases.adapters import orm as cases_orm
from services.notifications.service_layer import handlers
from shared.events import Envelope
from shared.logging import ContextFilter, JsonFormatter
from shared.streams import ENVELOPE_FIELD
from tests.integration.notifications.conftest import (  # noqa: F401  (fixtures of that directory)
    cases_server,
    mail_server,
    notifications,
    notifications_databases,
    notifications_settings,
    pipeline,
)
from tests.integration.notifications.helpers import rows
from tests.support.api_flows import COORDINATOR, intervention_body


def outbox_request_ids(container, event_type: str) -> list[str | None]:
    o = cases_orm.outbox.c
    query = select(o.request_id, o.envelope).where(o.type == event_type).order_by(o.seq)
    with container.engine.connect() as conn:
        found = list(conn.execute(query))
    for request_id, raw in found:  # the envelope inside the row carries the same id
        assert json.loads(raw).get("request_id") == request_id
    return [request_id for request_id, _ in found]


def test_a_request_id_travels_from_the_request_to_the_delivery_log(
    world, container, stream_name, caplog, request
) -> None:
    n = request.getfixturevalue("notifications")  # imported fixtures, looked up by name
    events = request.getfixturevalue("pipeline")
    mail = request.getfixturevalue("mail_server")
    caplog.handler.addFilter(ContextFilter())  # what our handler does: ids from the context
    opened = world.call(
        COORDINATOR,
        "POST",
        "/api/v1/cases",
        json={"pupil_id": str(world.pupils["a1"]), "opened_on": "2026-09-01"},
        headers={"X-Request-ID": "req-open-1"},
    )
    assert opened.status_code == 201 and opened.headers["X-Request-ID"] == "req-open-1"
    case_id = opened.json["id"]
    started = world.call(
        COORDINATOR,
        "POST",
        f"/api/v1/cases/{case_id}/interventions",
        json=intervention_body(),
        headers={"X-Request-ID": "req-start-2"},
    )
    assert started.status_code == 201, started.json

    # 1. the outbox rows (and the envelopes in them)
    assert outbox_request_ids(container, "case.opened") == ["req-open-1"]
    assert outbox_request_ids(container, "intervention.started") == ["req-start-2"]

    # 2. the stream entries
    events.relay()
    on_stream = [
        json.loads(fields[ENVELOPE_FIELD]) for _id, fields in container.redis.xrange(stream_name)
    ]
    by_type = {e["type"]: e for e in on_stream}
    assert by_type["case.opened"]["request_id"] == "req-open-1"
    assert by_type["intervention.started"]["request_id"] == "req-start-2"
    event_id = by_type["intervention.started"]["id"]

    # 3. the consumer's log context and 4. the planned rows
    with caplog.at_level(logging.INFO):
        events.consume()
    handled = [r for r in caplog.records if r.name == "shared.streams" and r.event_id == event_id]
    assert handled and all(r.request_id == "req-start-2" for r in handled)
    [guardian] = rows(n, case_id=case_id, recipient_role="guardian")
    assert guardian["request_id"] == "req-start-2"
    assert str(guardian["event_id"]) == event_id

    # 5. the delivery's log line, as the JSON formatter writes it
    caplog.clear()
    ids = handlers.due_for_dispatch(n.store, n.clock.now(), 100, 300)
    assert guardian["id"] in ids
    with caplog.at_level(logging.INFO, logger="services.notifications.service_layer.handlers"):
        for notification_id in ids:
            handlers.deliver(notification_id, n.store, n.sender, n.rules, n.clock.now)
    [line] = [
        json.loads(JsonFormatter().format(r))
        for r in caplog.records
        if str(guardian["id"]) in r.getMessage()
    ]
    assert line["message"].endswith("sent (attempt 1, 1 in message)")
    assert (line["request_id"], line["event_id"]) == ("req-start-2", event_id)
    mail.wait_for(1)


def test_events_without_a_request_id_still_load_and_dump_as_before() -> None:
    old = {
        "id": str(uuid.uuid4()),
        "type": "pupil.enrolled",
        "version": 1,
        "occurred_at": datetime(2026, 10, 15, 8, 0, tzinfo=UTC).isoformat(),
        "partnership_id": str(uuid.uuid4()),
        "school_id": None,
        "subject": {"kind": "pupil", "id": str(uuid.uuid4())},
        "data": {"pupil_id": str(uuid.uuid4()), "enrolled_on": "2026-09-01"},
    }
    envelope = Envelope.from_json(json.dumps(old))
    assert envelope.request_id is None
    assert "request_id" not in envelope.to_dict()  # the wire form of old events is unchanged
    with_id = Envelope.from_json(json.dumps({**old, "request_id": "r-1"}))
    assert with_id.request_id == "r-1" and with_id.to_dict()["request_id"] == "r-1"
