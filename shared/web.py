"""Flask plumbing every service shares: JSON errors (DESIGN.md §5), bearer auth, health, paging."""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request, url_for
from flask_smorest import Api
from marshmallow import Schema, fields, validate
from redis import exceptions as redis_exc
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared import metrics
from shared.api_docs import install_docs
from shared.auth import InvalidToken, Principal, verify_token
from shared.clock import Clock
from shared.config import Settings
from shared.errors import AppError, Unauthorized
from shared.logging import configure_logging, request_id_var, settings_secrets

log = logging.getLogger(__name__)
access_log = logging.getLogger("http.access")

PUBLIC_PATHS = (
    "/health",
    "/metrics",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/auth/token",
)
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

# Every response. HTML pages (the web front end, the API docs) get a Content-Security-Policy; API
# responses carry pupil data and are never stored by a browser or proxy.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
RETRY_AFTER_SECONDS = 5  # a 503 while the database or Redis does not answer
# The database or Redis does not answer (GET /health/ready says which): the request may succeed
# later, so 503, not a 500 that reads like a bug.
DEPENDENCY_ERRORS: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    redis_exc.ConnectionError,
    redis_exc.TimeoutError,
)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "state_conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "service_unavailable",
}


# marshmallow's messages for dates and times name no format; every service's say which one.
FORMAT_HINTS = {
    "Not a valid date.": "Not a valid date; use YYYY-MM-DD, e.g. 2026-09-01.",
    "Not a valid datetime.": (
        "Not a valid date and time; use ISO 8601 with an offset, e.g. 2026-09-01T10:00:00+02:00 "
        "or 2026-09-01T08:00:00Z."
    ),
    "Not a valid aware datetime.": (
        "Not a valid date and time: give its offset, e.g. 2026-09-01T10:00:00+02:00 "
        "or 2026-09-01T08:00:00Z."
    ),
    "Not a valid naive datetime.": (
        "Not a valid date and time; use YYYY-MM-DDTHH:MM:SS without an offset."
    ),
    "Not a valid time.": "Not a valid time; use HH:MM, e.g. 09:30.",
}


def with_formats(errors: Any) -> Any:
    """Field errors (nested per field, list index or dict key) with FORMAT_HINTS applied."""
    if isinstance(errors, dict):
        return {key: with_formats(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [with_formats(value) for value in errors]
    return FORMAT_HINTS.get(errors, errors) if isinstance(errors, str) else errors


def error_body(code: str, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error shape: code, message, errors per field."""
    return {"code": code, "message": message, "errors": errors or {}}


class ErrorSchema(Schema):
    """The one error shape of every service (DESIGN.md §5), as documented in OpenAPI."""

    code = fields.String(required=True, metadata={"description": "Machine-readable code"})
    message = fields.String(required=True, metadata={"description": "A human sentence"})
    errors = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Messages per field (lists, or nested objects per field)"},
    )


class JsonErrorApi(Api):
    """flask-smorest's Api with every HTTP error in the DESIGN.md §5 shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages", {})
        if status == 400 and "Invalid JSON body" in str(messages):
            return jsonify(error_body("malformed_json", "The body is not valid JSON.")), 400
        errors: dict[str, Any] = {}
        for location_errors in messages.values():  # webargs nests errors by location
            if isinstance(location_errors, dict):
                errors.update(with_formats(location_errors))
        if status == 422:
            message = "The request has invalid fields."
            if any("Unknown field" in str(v) for v in errors.values()):
                message = "The request has invalid or unknown fields."
        else:
            message = error.description or error.name
        code = _HTTP_CODES.get(status, "error")
        return jsonify(error_body(code, message, errors)), status


def install_api(app: Flask, title: str, description: str, *, max_body_bytes: int) -> JsonErrorApi:
    """Create the flask-smorest Api with OpenAPI at /api/v1/openapi.json and docs; bodies over
    `max_body_bytes` (the settings' value) are refused with 413 before anything reads them."""
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {
                "securitySchemes": {
                    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearer": []}],
        },
        # Also caps a body sent without Content-Length (chunked) while it is read.
        MAX_CONTENT_LENGTH=max_body_bytes,
    )
    api = JsonErrorApi(app)
    install_docs(app)
    install_request_context(app)
    # Right after the request id, before authentication and before any body is parsed.
    app.before_request_funcs[None].insert(1, _refuse_oversized_body)
    app.before_request(_guard_json_body)

    @app.errorhandler(AppError)
    def _app_error(err: AppError) -> Any:
        response = jsonify(error_body(err.code, err.message, err.errors))
        if err.status == 503:  # another service is away: the same advice as a database that is
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, err.status

    def _dependency_down(err: Exception) -> Any:
        log_dependency_down(err)
        message = "The service cannot reach its database or Redis just now; try again shortly."
        response = jsonify(error_body("service_unavailable", message))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response, 503

    for error in DEPENDENCY_ERRORS:
        app.register_error_handler(error, _dependency_down)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> Any:
        if isinstance(err, HTTPException):
            return api.handle_http_exception(err)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return jsonify(error_body("internal_error", "Something went wrong on our side.")), 500

    return api


def log_dependency_down(err: Exception) -> None:
    """One line for a request that met an unreachable database or Redis (no traceback)."""
    name = type(err).__name__
    log.error("a dependency is unavailable on %s %s: %s", request.method, request.path, name)


def request_id_from(header: str | None) -> str:
    """The caller's X-Request-ID when it is a sane token (letters, digits, `._:-`, at most 128),
    else a new one."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def install_request_context(app: Flask) -> None:
    """Per request: a request id (in the logs' context and the X-Request-ID response header),
    the HTTP metrics, one access log line (the URL rule, never the raw path: preference links
    carry tokens in it) and the security headers."""

    def _begin() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_id_token = request_id_var.set(g.request_id)
        g.request_started = time.perf_counter()

    # First of all before_request functions, so even an auth failure carries the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id") or request_id_from(None)
        response.headers[REQUEST_ID_HEADER] = request_id
        secure_headers(response)
        endpoint = request.url_rule.rule if request.url_rule else "<unmatched>"
        started = g.get("request_started")
        elapsed = time.perf_counter() - started if started is not None else 0.0
        metrics.HTTP_REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        metrics.HTTP_LATENCY.labels(request.method, endpoint).observe(elapsed)
        quiet = request.path.startswith(("/health", "/metrics"))
        access_log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s",
            request.method,
            endpoint,
            response.status_code,
            extra={
                "method": request.method,
                "endpoint": endpoint,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response

    @app.teardown_request
    def _end(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            request_id_var.reset(token)


def secure_headers(response: Response) -> Response:
    """Set the security headers of the current request's response (see SECURITY_HEADERS)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    html = response.mimetype == "text/html"
    if html:  # the API docs too: their Swagger UI is served from here (shared.api_docs)
        response.headers["Content-Security-Policy"] = HTML_CSP
    if html or request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https":
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def install_operations(app: Flask, service: str, settings: Settings) -> None:
    """Logging (JSON or text, unless the process configured its own) with the settings' secrets
    masked, and GET /metrics (bearer `<SERVICE>_METRICS_TOKEN` when that is set)."""
    configure_logging(
        service,
        level=settings.log_level,
        fmt=settings.log_format,
        secrets=settings_secrets(settings),
        only_if_unconfigured=True,
    )
    install_metrics(app, settings.metrics_token)
    if settings.trusted_proxy_hops > 0:
        # Behind that many proxies the client address (log-in limits, the audit trail) and the
        # scheme (HSTS, secure cookies) are the ones the proxies forward.
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def install_metrics(app: Flask, token: str | None = None) -> None:
    """GET /metrics: the Prometheus text exposition of this service's processes."""
    expected = f"Bearer {token}".encode() if token else None

    @app.get("/metrics")
    def _metrics() -> Any:
        if expected is not None:
            given = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(given, expected):
                message = "GET /metrics needs the metrics token as a bearer token."
                return jsonify(error_body("unauthorized", message)), 401
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)


def _refuse_oversized_body() -> Any:
    """413 for a body over the limit, judged by its Content-Length before a byte of it is read.
    The limit is the app's, or the larger MAX_BODY_BYTES of the blueprint that serves the path
    (the imports' files)."""
    blueprint = current_app.blueprints.get(request.blueprint or "")
    limit = max(current_app.config["MAX_CONTENT_LENGTH"], getattr(blueprint, "MAX_BODY_BYTES", 0))
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        message = f"The request body is larger than {limit} bytes."
        return jsonify(error_body("payload_too_large", message)), 413
    return None


def _guard_json_body() -> Any:
    """Refuse JSON bodies that would crash later instead of failing validation: nesting deeper
    than the parser's recursion limit (json.loads raises RecursionError, not a decode error) and
    text no database can store (see `unstorable_text`), in any value or key, naming the field."""
    if not request.is_json:
        return None
    try:
        data = json.loads(request.get_data(cache=True))
    except RecursionError:
        return jsonify(error_body("malformed_json", "The body is nested too deeply.")), 400
    except ValueError:
        return None  # webargs answers malformed_json
    errors: dict[str, Any] = {}
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:  # iterative: the body may be nested almost as deep as the recursion limit
        path, value = stack.pop()
        problem = unstorable_text(value) if isinstance(value, str) else None
        if problem:
            errors[path or "_schema"] = [problem]
        children: Any = ()
        if isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        for key, child in children:
            child_path = f"{path}.{key}" if path else str(key)
            problem = unstorable_text(child_path)
            if problem:
                errors[child_path.encode("unicode_escape").decode("ascii")] = [problem]
            else:
                stack.append((child_path, child))
    if errors:
        message = "The request has invalid fields."
        return jsonify(error_body("validation_error", message, errors)), 422
    return None


def unstorable_text(value: str) -> str | None:
    """Why a text cannot be stored, or None: a NUL character (PostgreSQL text columns cannot hold
    it) or a lone surrogate such as "\\ud800" (JSON may escape one, but it is no character and
    UTF-8 cannot encode it)."""
    if "\x00" in value:
        return "Must not contain NUL characters."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Must not contain lone surrogates (\\ud800-\\udfff): not valid Unicode text."
    return None


def bearer_token() -> str | None:
    """The token of the request's `Authorization: Bearer <token>` header, if it has one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def install_auth(
    app: Flask,
    secret: str,
    clock: Clock,
    check_principal: Callable[[Principal], Principal | None] | None = None,
    public_prefixes: tuple[str, ...] = (),
) -> None:
    """Require a valid bearer token on every path but the public ones; sets g.principal.

    `check_principal` refuses a principal by raising, and may return the principal to use
    instead (the cases service works a teacher's assigned pupils out again)."""

    @app.before_request
    def _authenticate() -> Any:
        if request.method == "OPTIONS" or request.path.startswith(PUBLIC_PATHS + public_prefixes):
            return None
        token = bearer_token()
        if token is None:
            raise Unauthorized("A bearer token is required.")
        try:
            principal = verify_token(token, secret, clock.now())
        except InvalidToken as err:
            raise Unauthorized("The token is invalid or expired.") from err
        if check_principal is not None:
            principal = check_principal(principal) or principal
        g.principal = principal
        return None


def principal() -> Principal:
    """The authenticated caller of the current request."""
    return g.principal


def install_health(app: Flask, checks: dict[str, Callable[[], None]]) -> None:
    """GET /health (alive) and GET /health/ready (each dependency answers)."""

    @app.get("/health")
    def _health() -> Any:
        return jsonify(status="ok")

    @app.get("/health/ready")
    def _ready() -> Any:
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as err:  # noqa: BLE001 - report any failing dependency
                results[name] = f"unavailable: {type(err).__name__}"
        ok = all(v == "ok" for v in results.values())
        return jsonify(status="ok" if ok else "unavailable", checks=results), 200 if ok else 503


# The documented header of every 201: where the created resource is read.
LOCATION = {
    "Location": {"description": "Where the created resource is read", "schema": {"type": "string"}}
}


def created(result: Any, endpoint: str, **values: Any) -> tuple[Any, dict[str, str]]:
    """A view's answer for a resource it created: the body, and the resource's URL as Location."""
    return result, {"Location": url_for(endpoint, **values)}


class PageArgsSchema(Schema):
    """Common paging arguments."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A response schema for one page of items with the total."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )
