"""The notifications API as the administrators' pages need it: policies (list, create, change,
switch on/off, preview and simulation), the missing school holidays, the delivery log and the
retry of a dead notification. Plain dicts as the API sends them; its refusals are ApiErrors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.clients.base import ApiClient

POLICIES = "/api/v1/policies"
DELIVERIES = "/api/v1/deliveries"


class NotificationsClient:
    """The notifications API as one signed-in user."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def policies(self) -> list[dict[str, Any]]:
        """Every policy of the administrator's partnership, school overrides included."""
        return self.api.get(f"{POLICIES}/")

    def missing_holidays(self) -> list[str]:
        """The school years whose holidays planning needs but are not loaded."""
        return self.api.get(f"{POLICIES}/holidays")["missing_school_years"]

    def policy(self, policy_id: UUID) -> dict[str, Any]:
        return self.api.get(f"{POLICIES}/{policy_id}")

    def create_policy(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.api.request("POST", f"{POLICIES}/", json=body)

    def replace_policy(self, policy_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
        return self.api.request("PUT", f"{POLICIES}/{policy_id}", json=body)

    def set_enabled(self, policy_id: UUID, enabled: bool) -> dict[str, Any]:
        return self.api.request("PATCH", f"{POLICIES}/{policy_id}", json={"enabled": enabled})

    def preview(self, policy_id: UUID, days: int) -> list[dict[str, Any]]:
        """The rows the policy has planned for the next `days`, addresses masked."""
        return self.api.get(f"{POLICIES}/{policy_id}/preview", days=days)

    def simulate(self, body: dict[str, Any]) -> dict[str, Any]:
        """What a policy as typed (a saved one's draft with `policy_id`) would send."""
        return self.api.post(f"{POLICIES}/preview", body)

    def deliveries(self, **filters: Any) -> dict[str, Any]:
        """One page of the delivery log: {"items", "page", "page_size", "total"}."""
        return self.api.get(f"{DELIVERIES}/", **filters)

    def retry(self, notification_id: UUID) -> dict[str, Any]:
        return self.api.request("POST", f"{DELIVERIES}/{notification_id}/retry")
