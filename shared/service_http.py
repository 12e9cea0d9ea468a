"""One service calling another service's API as itself: the base URL, a short-lived service token
of its own as the bearer (role `service`), a timeout on every call, the request id of the work at
hand passed on (X-Request-ID, so both services' log lines of one piece of work carry the same id),
and the answers that mean "cannot answer now" — down, refused connection, timeout, an unexpected
status — raised as the caller's own exception (a RetryLater, mostly), so its work is tried again
later or fails closed. No retries here: the caller's queue or consumer tries again.

The notifications service's clients of cases and reports and the consumers' event log client use
it; the web front end's clients (services/web/clients) call with the signed-in user's token and
turn refusals into form errors, which is their own job."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import requests

from shared.auth import service_token
from shared.clock import Clock
from shared.logging import current_request_id

TOKEN_TTL = timedelta(minutes=5)  # each call mints a fresh one: never reused after it expires
REQUEST_ID_HEADER = "X-Request-ID"  # shared.web reads it back on the other side

Unavailable = Callable[[str], Exception]


class ServiceClient:
    """Another service (`upstream`) at `base_url`, called as service `caller`: one pooled
    connection per client; `close()` ends it."""

    def __init__(
        self,
        base_url: str,
        jwt_secret: str,
        clock: Clock,
        *,
        caller: str,
        upstream: str,
        timeout: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = jwt_secret
        self.clock = clock
        self.caller = caller
        self.upstream = upstream
        self.timeout = timeout
        self.http = requests.Session()

    def service_token(self) -> str:
        return service_token(self.caller, self.secret, self.clock.now(), TOKEN_TTL)

    def headers(self) -> dict[str, str]:
        """The bearer token, and the request id of the work at hand when there is one."""
        headers = {"Authorization": f"Bearer {self.service_token()}"}
        if request_id := current_request_id():
            headers[REQUEST_ID_HEADER] = request_id
        return headers

    def send(
        self,
        method: str,
        path: str,
        unavailable: Unavailable,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> requests.Response:
        """The answer, whatever its status; `unavailable` (naming the upstream service and the
        error) raised when none came: down, refused, timed out."""
        try:
            return self.http.request(
                method,
                f"{self.base_url}{path}",
                params=params,
                json=json,
                headers=self.headers(),
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise unavailable(f"{self.upstream} service: {type(err).__name__}") from err

    def get(
        self, path: str, unavailable: Unavailable, params: Mapping[str, Any] | None = None
    ) -> requests.Response | None:
        """The 200 answer of a GET; None for a 404. `unavailable` is raised for any other
        status too, so the caller tries again later or fails closed."""
        response = self.send("GET", path, unavailable, params=params)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise unavailable(f"{self.upstream} service: HTTP {response.status_code}")
        return response

    def post(self, path: str, unavailable: Unavailable, body: Any) -> requests.Response:
        """The 200 answer of a POST of JSON `body` (a read asking for many things at once).
        `unavailable` is raised while it cannot answer (down, 5xx); a refusal of the request
        itself (4xx) raises requests.HTTPError, so the caller does not wait for it to pass (a
        batch is then handled one by one, and only the event it came from stays pending)."""
        response = self.send("POST", path, unavailable, json=body)
        if 400 <= response.status_code < 500:
            response.raise_for_status()
        if response.status_code != 200:
            raise unavailable(f"{self.upstream} service: HTTP {response.status_code}")
        return response

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()
