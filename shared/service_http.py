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
