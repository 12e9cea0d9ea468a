"""Asks the cases service who is around a case or school (its internal audience endpoint)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import requests

from services.notifications.domain.planning import Audience, Recipient
from shared.auth import service_token
from shared.clock import Clock


class AudienceUnavailable(Exception):
    """The cases service could not answer now; try the event again later."""


class CasesDirectory:
    """HTTP client with a short-lived service token of its own."""

    def __init__(self, base_url: str, jwt_secret: str, clock: Clock, timeout: float = 5.0) -> None:
        self.base_url = base_url
        self.secret = jwt_secret
        self.clock = clock
        self.timeout = timeout
        self.http = requests.Session()

    def _token(self) -> str:
        return service_token("notifications", self.secret, self.clock.now(), timedelta(minutes=5))

    def audience(self, case_id: UUID | None, school_id: UUID | None) -> Audience | None:
        """The audience, or None when the case or school no longer exists."""
        params = {"case_id": str(case_id)} if case_id else {"school_id": str(school_id)}
        try:
            response = self.http.get(
                f"{self.base_url}/api/v1/internal/audience",
                params=params,
                headers={"Authorization": f"Bearer {self._token()}"},
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise AudienceUnavailable(type(err).__name__) from err
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise AudienceUnavailable(f"HTTP {response.status_code}")
        body = response.json()
        recipients = [
            Recipient(
                kind=r["kind"],
                id=UUID(r["id"]),
                role=r["role"],
                name=r["name"],
                email=r.get("email"),
                phone=r.get("phone"),
                language=r.get("language") or "nl",
            )
            for r in body["recipients"]
        ]
        return Audience(
            school_name=body["school_name"],
            region=body.get("region"),
            recipients=recipients,
            pupil_given_name=body.get("pupil_given_name"),
            case_status=body.get("case_status"),
            partnership_id=UUID(body["partnership_id"]) if body.get("partnership_id") else None,
        )

    def case_ids(self, pupil_id: UUID) -> list[UUID]:
        """The ids of every case of a pupil (also an anonymised pupil's: the cases keep their ids),
        read from the cases list with this service's own token."""
        ids: list[UUID] = []
        page = 1
        while True:
            try:
                response = self.http.get(
                    f"{self.base_url}/api/v1/cases",
                    params={"pupil_id": str(pupil_id), "page": page, "page_size": 500},
                    headers={"Authorization": f"Bearer {self._token()}"},
                    timeout=self.timeout,
                )
            except requests.RequestException as err:
                raise AudienceUnavailable(type(err).__name__) from err
            if response.status_code != 200:
                raise AudienceUnavailable(f"HTTP {response.status_code}")
            body = response.json()
            ids += [UUID(item["id"]) for item in body["items"]]
            if not body["items"] or len(ids) >= body["total"]:
                return ids
            page += 1
