"""shared.web on every response: the security headers (a strict CSP on HTML pages, no-store on the
API, HSTS behind https), the request id (taken when sane, else made, always returned) and
GET /metrics behind its optional token. A bare app with install_api, as every service builds."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask, jsonify

from shared.logging import current_request_id
from shared.web import HTML_CSP, install_api, install_metrics


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    install_api(app, "Test service", "A test.", max_body_bytes=1024 * 1024)

    @app.get("/api/v1/things/<int:thing_id>")
    def thing(thing_id: int):  # type: ignore[no-untyped-def]
        return jsonify(id=thing_id, request_id=current_request_id())

    @app.get("/page/")
    def html_page():  # type: ignore[no-untyped-def]
        return "<!doctype html><p>page</p>"

    @app.get("/api/v1/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("unexpected")

    install_metrics(app, token="metrics-secret")
    return app


BASIC = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def test_api_responses_are_not_stored_and_carry_the_basic_headers(app: Flask) -> None:
    response = app.test_client().get("/api/v1/things/7")
    assert response.status_code == 200
    for name, value in BASIC.items():
        assert response.headers[name] == value
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" not in response.headers  # JSON, not a page
    assert "Strict-Transport-Security" not in response.headers  # plain http


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/boom"])
def test_errors_carry_them_too(app: Flask, path: str) -> None:
    response = app.test_client().get(path)
    assert response.status_code in (404, 500)
    assert response.json["code"] in ("not_found", "internal_error")
    for name, value in BASIC.items():
        assert response.headers[name] == value
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-ID"]


def test_html_pages_get_a_strict_content_security_policy(app: Flask) -> None:
    response = app.test_client().get("/page/")
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert csp == HTML_CSP
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_api_docs_work_offline_under_the_html_policy(app: Flask) -> None:
    """Issue 12: the docs loaded ReDoc from a CDN, blank without internet. Every asset the page
    names is same-origin and served from the installed package; the CSP is 'self' only."""
    client = app.test_client()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == HTML_CSP
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html  # nothing inline
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 3, assets  # the stylesheet, the bundle, the start script
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        served = client.get(url)
        assert served.status_code == 200, url
        assert served.mimetype in ("text/css", "text/javascript"), (url, served.mimetype)
        assert len(served.get_data()) > 100
    spec = re.search(r'data-spec-url="([^"]+)"', html)
    assert spec and client.get(spec.group(1)).json["info"]["title"] == "Test service"
    assert client.get("/api/v1/docs/assets/index.html").status_code == 404  # only what it needs


def test_hsts_only_over_https(app: Flask) -> None:
    client = app.test_client()
    direct = client.get("/api/v1/things/1", base_url="https://localhost")
    assert direct.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    proxied = client.get("/api/v1/things/1", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in proxied.headers


def test_a_sane_request_id_is_kept_and_returned(app: Flask) -> None:
    response = app.test_client().get("/api/v1/things/1", headers={"X-Request-ID": "abc-123.X:9"})
    assert response.headers["X-Request-ID"] == "abc-123.X:9"
    assert response.json["request_id"] == "abc-123.X:9"  # in the context while the view runs
    assert current_request_id() is None  # and gone after the request


@pytest.mark.parametrize("given", [None, "", "a b", "x" * 129, "<script>", "id\r\nSet-Cookie: a"])
def test_a_missing_or_odd_request_id_is_replaced(app: Flask, given: str | None) -> None:
    headers = {} if given is None else {"X-Request-ID": given}
    try:
        response = app.test_client().get("/api/v1/things/1", headers=headers)
    except ValueError:  # werkzeug refuses header values with newlines before we see them
        assert given is not None and "\n" in given
        return
    made = response.headers["X-Request-ID"]
    assert made != given and len(made) == 32 and made.isalnum()
    assert response.json["request_id"] == made


def test_every_request_gets_its_own_id(app: Flask) -> None:
    client = app.test_client()
    ids = {client.get("/api/v1/things/1").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_the_access_line_names_the_url_rule_not_the_raw_path(app: Flask, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="http.access"):
        app.test_client().get("/api/v1/things/4242", headers={"X-Request-ID": "req-9"})
    [record] = [r for r in caplog.records if r.name == "http.access"]
    assert record.getMessage() == "GET /api/v1/things/<int:thing_id> 200"
    assert record.endpoint == "/api/v1/things/<int:thing_id>"  # type: ignore[attr-defined]
    assert "4242" not in record.getMessage()


def test_metrics_need_the_token_when_one_is_set(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json["code"] == "unauthorized"
    ok = client.get("/metrics", headers={"Authorization": "Bearer metrics-secret"})
    assert ok.status_code == 200
    assert ok.mimetype == "text/plain"
    assert b"http_requests_total" in ok.data


def test_metrics_are_open_without_a_token() -> None:
    app = Flask(__name__)
    install_api(app, "Test service", "A test.", max_body_bytes=1024 * 1024)
    install_metrics(app)
    response = app.test_client().get("/metrics")
    assert response.status_code == 200 and b"# TYPE http_requests_total counter" in response.data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
