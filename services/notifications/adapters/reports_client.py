"""Fetches a compiled periodic report as a PDF from the reports service, with this service's own
token (role `service`: the reports service lets it read compiled reports, nothing else)."""

from __future__ import annotations

from uuid import UUID

from services.notifications.service_layer.attachments import ReportUnavailable
from shared.clock import Clock
from shared.service_http import ServiceClient


class ReportsClient(ServiceClient):
    """HTTP client of the reports API with a short-lived service token of its own."""

    def __init__(self, base_url: str, jwt_secret: str, clock: Clock, timeout: float = 10.0) -> None:
        super().__init__(
            base_url, jwt_secret, clock, caller="notifications", upstream="reports", timeout=timeout
        )

    def report_pdf(self, report_id: UUID, language: str) -> bytes | None:
        """The compiled report as a PDF in `language`; None when the report is gone (404).
        Raises ReportUnavailable when the service cannot answer now (down, 5xx, refused)."""
        path = f"/api/v1/reports/compiled/{report_id}/report.pdf"
        response = self.get(path, ReportUnavailable, {"lang": language})
        if response is None:
            return None
        if not response.content.startswith(b"%PDF"):
            raise ReportUnavailable(f"reports service: HTTP {response.status_code}")
        return response.content
