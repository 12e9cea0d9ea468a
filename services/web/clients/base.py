"""HTTP to a service's API as the signed-in user. A 401 means the token is no longer good (expired,
the account disabled): `SessionEnded`, which ends the web session. Other refusals come back as an
`ApiError` with the API's messages per field (DESIGN.md §5's error shape)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import requests

from shared.errors import flat_messages

log = logging.getLogger(__name__)

TIMEOUT = 10.0


def optional_date(value: str | None) -> date | None:
    """An API's ISO date, None for an empty one."""
    return date.fromisoformat(value) if value else None


class SessionEnded(Exception):
    """The API refused the user's token: the web session ends and the user logs in again.
    `code` is the API's error code (at log-in: which second-factor step is missing)."""

    def __init__(self, code: str = "") -> None:
        super().__init__(code)
        self.code = code


class ApiError(Exception):
    """An API's refusal (4xx) or absence (503): its status, code and messages per field."""

    def __init__(
        self,
        status: int,
        code: str = "",
        message: str = "",
        errors: dict[str, list[str]] | None = None,
        paths: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}
        # The same messages by their full path ("scenarios.1.review_by"), for forms with rows.
        self.paths = paths if paths is not None else dict(self.errors)


def _paths(prefix: str, value: Any) -> dict[str, list[str]]:
    """The messages of a nested error structure by dotted path: {"scenarios.1.review_by": [..]}."""
    if isinstance(value, Mapping):
        out: dict[str, list[str]] = {}
        for key, inner in value.items():
            for path, messages in _paths(f"{prefix}.{key}" if prefix else str(key), inner).items():
                out.setdefault(path, []).extend(messages)
        return out
    return {prefix: flat_messages(value)}


def api_error(status: int, body: Any) -> ApiError:
    """The ApiError of an error response's JSON body."""
    if not isinstance(body, Mapping):
        return ApiError(status)
    errors = body.get("errors") if isinstance(body.get("errors"), Mapping) else {}
    return ApiError(
        status,
        str(body.get("code", "")),
        str(body.get("message", "")),
        {str(k): flat_messages(v) for k, v in errors.items()},
        _paths("", errors),
    )


def reach(method: str, path: str, send: Callable[[], requests.Response]) -> requests.Response:
    """The response of `send()`, one call to an API; ApiError 503 when the API cannot be reached."""
    try:
        return send()
    except requests.RequestException as err:
        log.warning("%s %s: %s", method, path, type(err).__name__)
        raise ApiError(503, "unavailable") from err


def json_body(response: requests.Response) -> Any:
    """A response's JSON body, None when it has none (or none that parses)."""
    try:
        return response.json() if response.content else None
    except ValueError:
        return None


def refuse_unless_ok(response: requests.Response) -> requests.Response:
    """The response when it is a 2xx; else SessionEnded on 401 and the ApiError of its body
    otherwise (the response closed: a streamed one would hold its connection)."""
    if response.status_code == 401:
        raise SessionEnded()
    if not response.ok:
        body = json_body(response)
        response.close()
        raise api_error(response.status_code, body)
    return response


class ApiClient:
    """One service's API at `base_url`, called with `token` as the bearer."""

    def __init__(
        self,
        http: requests.Session,
        base_url: str,
        token: str,
        *,
        if_match: str | None = None,
        on_etag: Callable[[str], None] | None = None,
    ) -> None:
        self.http = http
        self.base_url = base_url
        self.token = token
        # Optimistic concurrency: writes carry the ETag the form was built from (a stale one is
        # refused with 412); `on_etag` hears the ETag of each read that has one.
        self.if_match = if_match
        self.on_etag = on_etag

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The JSON body of a 2xx answer; SessionEnded on 401; ApiError otherwise."""
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        if self.if_match and method != "GET":
            sent["If-Match"] = self.if_match
        response = reach(
            method,
            path,
            lambda: self.http.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json,
                headers=sent,
                timeout=TIMEOUT,
            ),
        )
        body = json_body(response)
        if response.status_code == 401:
            raise SessionEnded(str(body.get("code", "")) if isinstance(body, Mapping) else "")
        if not response.ok:
            raise api_error(response.status_code, body)
        if method == "GET" and self.on_etag and response.headers.get("ETag"):
            self.on_etag(response.headers["ETag"])
        return body

    def download(
        self, path: str, params: Mapping[str, Any] | None = None
    ) -> tuple[bytes, str, str]:
        """A file the API sends (an export): its bytes, media type and Content-Disposition."""
        response = refuse_unless_ok(
            reach(
                "GET",
                path,
                lambda: self.http.get(
                    f"{self.base_url}{path}",
                    params=params,
                    headers={"Authorization": f"Bearer {self.token}"},
                    timeout=TIMEOUT,
                ),
            )
        )
        kind = response.headers.get("Content-Type", "application/octet-stream")
        return response.content, kind, response.headers.get("Content-Disposition", "")

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params={k: v for k, v in params.items() if v})

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, json=body)

    def upload(self, path: str, filename: str, content: bytes, **params: Any) -> Any:
        """POST a file as multipart/form-data (an import); the JSON answer, errors as request()."""
        response = reach(
            "POST",
            path,
            lambda: self.http.post(
                f"{self.base_url}{path}",
                params={k: v for k, v in params.items() if v is not None},
                files={"file": (filename, content)},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=60.0,
            ),
        )
        return json_body(refuse_unless_ok(response))
