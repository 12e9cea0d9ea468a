"""School names for the console, asked from the cases service with the user's own token (its
`GET /api/v1/schools` shows what the user may see), once per request. A 401 means the token is
no longer good (the account was disabled): the session ends, as on every API's 401."""

from __future__ import annotations

import logging

import requests
from flask import g, session

from services.notifications.console.web import container
from shared.errors import Unauthorized

log = logging.getLogger(__name__)


def schools() -> dict[str, str]:
    """{school id: name} of the schools the logged-in user sees; empty if cases cannot answer."""
    if "console_schools" in g:
        return g.console_schools
    found: dict[str, str] = {}
    token = session.get("token")
    if token:
        directory = container().directory
        try:
            response = directory.http.get(
                f"{directory.base_url}/api/v1/schools",
                headers={"Authorization": f"Bearer {token}"},
                timeout=directory.timeout,
            )
            if response.status_code == 401:
                raise Unauthorized("The session's token was refused.")
            if response.status_code == 200:
                found = {s["id"]: s["name"] for s in response.json()}
            else:
                log.warning("cases answered %s to the school list", response.status_code)
        except (requests.RequestException, ValueError, KeyError, TypeError) as err:
            log.warning("no school list from cases: %s", type(err).__name__)
    g.console_schools = found
    return found
