"""A guardian's message settings in the notifications service: its API at
/api/v1/preferences/<token>, where the signed, revocable link is the authorization."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import requests

from services.web.clients.base import ApiClient
from shared.signing import sign

PURPOSE = "guardian-preferences"  # services.notifications.service_layer.handlers: the same
# A link the web signs for a signed-in guardian's own records lives as long as a page view.
TTL = timedelta(hours=1)


def preferences_token(secret: str, guardian_id: UUID, partnership_id: UUID, now: datetime) -> str:
    """The same kind of link the messages carry, for one guardian record."""
    return sign({"gid": str(guardian_id), "pid": str(partnership_id)}, secret, PURPOSE, now, TTL)


class PreferencesClient:
    def __init__(self, http: requests.Session, base_url: str, service_token: str) -> None:
        self.api = ApiClient(http, base_url, service_token)

    def get(self, token: str) -> dict[str, Any]:
        """The guardian's settings; ApiError 404 when the link is not valid (any more)."""
        body: dict[str, Any] = self.api.request(
            "GET", f"/api/v1/preferences/{token}", headers={"Accept": "application/json"}
        )
        return body

    def put(self, token: str, settings: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = self.api.request(
            "PUT", f"/api/v1/preferences/{token}", json=settings
        )
        return body
