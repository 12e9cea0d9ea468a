"""The one service-to-service HTTP client (shared/service_http.py) over real HTTP: a fresh service
token naming the caller, the request id of the work at hand passed on, 404 as None, any other
failure as the caller's own "unavailable" exception, a refused POST as an HTTPError."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import requests
from flask import Flask, jsonify, request

from shared.auth import Role, verify_token
from shared.logging import log_context
from shared.service_http import ServiceClient
from tests.conftest import JWT_SECRET
from tests.support.cases_server import AppServer


class Unavailable(Exception):
    pass


def upstream_app(clock) -> Flask:
    app = Flask("upstream")

    @app.get("/api/v1/echo")
    def echo():
        token = request.headers["Authorization"].removeprefix("Bearer ")
        principal = verify_token(token, JWT_SECRET, clock.now())
        return jsonify(
            user_id=str(principal.user_id),
            role=str(principal.role),
            request_id=request.headers.get("X-Request-ID"),
            params=request.args.to_dict(),
        )

    @app.get("/api/v1/gone")
    def gone():
        return jsonify(code="not_found"), 404

    @app.get("/api/v1/broken")
    def broken():
        return jsonify(code="internal"), 500

    @app.post("/api/v1/many")
    def many():
        body = request.get_json()
        if not body.get("queries"):
            return jsonify(code="validation_error", errors={"queries": ["Required."]}), 422
        if body["queries"] == ["down"]:
            return jsonify(code="unavailable"), 503
        return jsonify(answers=body["queries"], request_id=request.headers.get("X-Request-ID"))

    return app


@pytest.fixture
def upstream(clock) -> Iterator[AppServer]:
    server = AppServer(upstream_app(clock)).start()
    yield server
    server.stop()


@pytest.fixture
def client(upstream, clock) -> Iterator[ServiceClient]:
    client = ServiceClient(
        upstream.url + "/", JWT_SECRET, clock, caller="notifications", upstream="cases", timeout=5
    )
    yield client
    client.close()


def test_a_get_carries_a_service_token_naming_the_caller_and_the_request_id(client) -> None:
    response = client.get("/api/v1/echo", Unavailable, {"page": 2})
    assert response is not None
    body = response.json()
    assert body["role"] == str(Role.SERVICE) and body["params"] == {"page": "2"}
    assert body["user_id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, "service:notifications"))
    assert body["request_id"] is None  # no work at hand: no header

    with log_context(request_id="req-42"):
        answered = client.get("/api/v1/echo", Unavailable)
        posted = client.post("/api/v1/many", Unavailable, {"queries": [1, 2]})
    assert answered is not None and answered.json()["request_id"] == "req-42"
    assert posted.json() == {"answers": [1, 2], "request_id": "req-42"}


def test_a_404_is_none_and_any_other_status_is_unavailable(client) -> None:
    assert client.get("/api/v1/gone", Unavailable) is None
    with pytest.raises(Unavailable, match=r"^cases service: HTTP 500$"):
        client.get("/api/v1/broken", Unavailable)
    with pytest.raises(Unavailable, match=r"^cases service: HTTP 503$"):
        client.post("/api/v1/many", Unavailable, {"queries": ["down"]})


def test_a_refused_post_is_an_http_error_not_a_wait(client) -> None:
    with pytest.raises(requests.HTTPError) as refused:
        client.post("/api/v1/many", Unavailable, {"queries": []})
    assert refused.value.response.status_code == 422


def test_a_service_that_is_down_is_unavailable(client, upstream) -> None:
    upstream.stop()
    with pytest.raises(Unavailable, match=r"^cases service: ConnectionError$"):
        client.get("/api/v1/echo", Unavailable)
    with pytest.raises(Unavailable, match=r"^cases service: ConnectionError$"):
        client.send("GET", "/api/v1/echo", Unavailable)
