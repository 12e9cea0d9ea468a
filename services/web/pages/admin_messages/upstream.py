"""The cases and reports APIs for the evaluations and reports pages, asked server-side with the
signed-in user's own bearer token (from the session), so the pages show and do exactly what those
APIs let the same user see and do. An API's refusal comes back as an `Answer` the page turns into
a polite message; a 401 ends the web session."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import session
from flask_babel import gettext as _

from services.web.clients.base import SessionEnded
from services.web.pages.admin_messages.labels import api_text
from services.web.pages.common import container
from shared.errors import flat_messages

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # a PDF of a large partnership takes a moment
# Headers of a download passed on to the browser as the reports service sent them.
PASSED_ON = ("Content-Type", "Content-Disposition")


@dataclass
class Answer:
    """An API's answer: its status and JSON body (503 and no body when it could not be asked)."""

    status: int
    body: Any = None
    service: str = "cases"
    problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def message(self) -> str:
        """What went wrong, for the user, in the page's language."""
        if self.status == 403:
            return _("U mag dit niet doen met uw account.")
        if self.status == 404:
            return _("Deze school of dit gegeven hoort niet bij uw account.")
        if self.status in (409, 422):
            found = [m for ms in self.problems.values() for m in ms]
            return (
                " ".join(found)
                if found
                else _("De gegevens zijn niet geldig; controleer ze en probeer het opnieuw.")
            )
        if self.service == "reports":
            return _("De rapportagedienst antwoordt nu niet; probeer het zo opnieuw.")
        return _("De leerlingadministratie antwoordt nu niet; probeer het zo opnieuw.")


def _base(service: str) -> tuple[requests.Session, str]:
    c = container()
    return c.http, c.settings.cases_url if service == "cases" else c.settings.reports_url


def _headers() -> dict[str, str]:
    token = session.get("token")
    if not token:
        raise SessionEnded()
    return {"Authorization": f"Bearer {token}"}


def _problems(body: Any) -> dict[str, list[str]]:
    """The error body's messages per field (shared.web's shape), in the page's language."""
    if not isinstance(body, Mapping):
        return {}
    out: dict[str, list[str]] = {}
    errors = body.get("errors")
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            out[str(key)] = [api_text(m) for m in flat_messages(value)]
    if not out and body.get("message"):
        out["_general"] = [api_text(str(body["message"]))]
    return out


def call(
    service: str,
    method: str,
    path: str,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
) -> Answer:
    """One API call as the logged-in user; a 401 ends the web session too."""
    http, base = _base(service)
    if not base:
        log.warning("no base URL for the %s service", service)
        return Answer(503, service=service)
    try:
        response = http.request(
            method, f"{base}{path}", params=params, json=json, headers=_headers(), timeout=TIMEOUT
        )
    except requests.RequestException as err:
        log.warning("%s %s on %s: %s", method, path, service, type(err).__name__)
        return Answer(503, service=service)
    if response.status_code == 401:
        raise SessionEnded()
    try:
        body = response.json() if response.content else None
    except ValueError:
        body = None
    problems = {} if response.ok else _problems(body)
    return Answer(response.status_code, body, service, problems)


def all_items(service: str, path: str, params: Mapping[str, Any], limit: int = 10) -> Answer:
    """Every item of a paged list (pages of 500, at most `limit` of them) as one answer."""
    items: list[Any] = []
    for page in range(1, limit + 1):
        answer = call(service, "GET", path, params={**params, "page": page, "page_size": 500})
        if not answer.ok:
            return answer
        items.extend(answer.body["items"])
        if len(items) >= answer.body["total"] or not answer.body["items"]:
            break
    return Answer(200, {"items": items, "total": len(items)}, service)


@dataclass
class Download:
    """A file the reports service is sending: status, the headers to pass on, and its bytes."""

    status: int
    headers: dict[str, str]
    chunks: Iterator[bytes]


def download(path: str, params: Mapping[str, Any]) -> Download | Answer:
    """A report file as the logged-in user, streamed; an `Answer` when it is refused."""
    http, base = _base("reports")
    if not base:
        return Answer(503, service="reports")
    try:
        response = http.get(
            f"{base}{path}", params=params, headers=_headers(), timeout=TIMEOUT, stream=True
        )
    except requests.RequestException as err:
        log.warning("GET %s on reports: %s", path, type(err).__name__)
        return Answer(503, service="reports")
    if response.status_code != 200:
        try:
            body = response.json()
        except ValueError:
            body = None
        finally:
            response.close()
        if response.status_code == 401:
            raise SessionEnded()
        return Answer(response.status_code, body, "reports", _problems(body))
    headers = {k: response.headers[k] for k in PASSED_ON if k in response.headers}

    def chunks() -> Iterator[bytes]:
        try:
            yield from response.iter_content(chunk_size=64 * 1024)
        finally:
            response.close()

    return Download(200, headers, chunks())
