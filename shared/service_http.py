"""One service's GET of another service's API with its own short-lived service token."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests


def get_as_service(
    http: requests.Session,
    url: str,
    token: str,
    timeout: float,
    unavailable: Callable[[str], Exception],
    upstream: str,
    params: Mapping[str, Any] | None = None,
) -> requests.Response | None:
    """The 200 answer of a GET with `token` as the bearer; None for a 404. `unavailable` (with a
    message naming the `upstream` service) is raised while it cannot answer: down, or any other
    status, so the caller tries again later or fails closed."""
    try:
        response = http.get(
            url, params=params, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )
    except requests.RequestException as err:
        raise unavailable(f"{upstream} service: {type(err).__name__}") from err
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise unavailable(f"{upstream} service: HTTP {response.status_code}")
    return response


def post_as_service(
    http: requests.Session,
    url: str,
    token: str,
    timeout: float,
    unavailable: Callable[[str], Exception],
    upstream: str,
    body: Any,
) -> requests.Response:
    """The 200 answer of a POST of JSON `body` with `token` as the bearer (a read asking for many
    things at once). `unavailable` is raised while it cannot answer (down, 5xx); a refusal of the
    request itself (4xx) raises requests.HTTPError, so the caller does not wait for it to pass
    (a batch is then handled one by one, and only the event it came from stays pending)."""
    try:
        response = http.post(
            url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=timeout
        )
    except requests.RequestException as err:
        raise unavailable(f"{upstream} service: {type(err).__name__}") from err
    if 400 <= response.status_code < 500:
        response.raise_for_status()
    if response.status_code != 200:
        raise unavailable(f"{upstream} service: HTTP {response.status_code}")
    return response
