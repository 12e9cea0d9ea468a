"""Fetches a compiled periodic report as a PDF from the reports service, with this service's own
token (role `service`: the reports service lets it read compiled reports, nothing else)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import requests

from services.notifications.service_layer.attachments import ReportUnavailable
from shared.auth import service_token
from shared.clock import Clock
from shared.service_http import get_as_service


class ReportsClient:
    """HTTP client of the reports API with a short-lived service token of its own."""

    def __init__(self, base_url: str, jwt_secret: str, clock: Clock, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret = jwt_secret
        self.clock = clock
        self.timeout = timeout
        self.http = requests.Session()

    def _token(self) -> str:
        return service_token("notifications", self.secret, self.clock.now(), timedelta(minutes=5))

    def report_pdf(self, report_id: UUID, language: str) -> bytes | None:
        """The compiled report as a PDF in `language`; None when the report is gone (404).
        Raises ReportUnavailable when the service cannot answer now (down, 5xx, refused)."""
        response = get_as_service(
            self.http,
            f"{self.base_url}/api/v1/reports/compiled/{report_id}/report.pdf",
            self._token(),
            self.timeout,
            ReportUnavailable,
            "reports",
            {"lang": language},
        )
        if response is None:
            return None
        if not response.content.startswith(b"%PDF"):
            raise ReportUnavailable(f"reports service: HTTP {response.status_code}")
        return response.content

    def close(self) -> None:
        """Close the pooled connections."""
        self.http.close()
