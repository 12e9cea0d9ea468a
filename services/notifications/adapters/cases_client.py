"""Asks the cases service who is around a case or school (its internal audience endpoint), which
dates are scheduled in a partnership (its internal scheduled endpoint), and where a meeting is
(its internal meetings endpoint, at send time)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import requests

from services.notifications.domain.invitation import MeetingPlace
from services.notifications.domain.planning import Audience, Recipient
from services.notifications.service_layer.attachments import MeetingUnavailable
from services.notifications.service_layer.preview import ScheduledDate
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

    def meeting_place(self, evaluation_id: UUID) -> MeetingPlace | None:
        """The place and video link of an evaluation's meeting as planned now; None when the
        meeting is gone (404). Raises MeetingUnavailable while the cases service cannot answer
        (down, 5xx): the delivery is tried again. The answer is used for one message only."""
        try:
            response = self.http.get(
                f"{self.base_url}/api/v1/internal/meetings/{evaluation_id}",
                headers={"Authorization": f"Bearer {self._token()}"},
                timeout=self.timeout,
            )
        except requests.RequestException as err:
            raise MeetingUnavailable(f"cases service: {type(err).__name__}") from err
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise MeetingUnavailable(f"cases service: HTTP {response.status_code}")
        body = response.json()
        return MeetingPlace(location=body.get("location"), video_url=body.get("video_url"))

    def scheduled(self, partnership_id: UUID, start: date, end: date) -> list[ScheduledDate]:
        """The dates scheduled for open subjects of a partnership from `start` to `end` (both
        inclusive), each as the event that set it; every page, read with this service's token."""
        items: list[ScheduledDate] = []
        page = 1
        while True:
            params: dict[str, Any] = {
                "partnership_id": str(partnership_id),
                "from": start.isoformat(),
                "to": end.isoformat(),
                "page": page,
                "page_size": 500,
            }
            try:
                response = self.http.get(
                    f"{self.base_url}/api/v1/internal/scheduled",
                    params=params,
                    headers={"Authorization": f"Bearer {self._token()}"},
                    timeout=self.timeout,
                )
            except requests.RequestException as err:
                raise AudienceUnavailable(type(err).__name__) from err
            if response.status_code != 200:
                raise AudienceUnavailable(f"HTTP {response.status_code}")
            body = response.json()
            items += [_scheduled_date(item) for item in body["items"]]
            if not body["items"] or len(items) >= body["total"]:
                return items
            page += 1


def _scheduled_date(item: dict[str, Any]) -> ScheduledDate:
    return ScheduledDate(
        subject_kind=item["subject_kind"],
        subject_id=UUID(item["subject_id"]),
        school_id=UUID(item["school_id"]),
        case_id=UUID(item["case_id"]) if item.get("case_id") else None,
        region=item.get("region"),
        due_on=date.fromisoformat(item["date"]),
        event_type=item["event_type"],
        data=item["data"],
    )
