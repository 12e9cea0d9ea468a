"""Asks the cases service who is around a case or school (its internal audience endpoint), which
dates are scheduled in a partnership (its internal scheduled endpoint), and where a meeting is
(its internal meetings endpoint, at send time)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from email.utils import quote
from typing import Any
from uuid import UUID

from services.notifications.domain.invitation import MeetingPlace
from services.notifications.domain.planning import Audience, Recipient
from services.notifications.service_layer.attachments import MeetingUnavailable
from services.notifications.service_layer.batch import AudienceKey
from services.notifications.service_layer.consent_check import ConsentState, ConsentUnavailable
from services.notifications.service_layer.preview import ScheduledDate
from shared.clock import Clock
from shared.service_http import ServiceClient
from shared.streams import RetryLater


class AudienceUnavailable(RetryLater):
    """The cases service could not answer now; try the event again later (the consumer logs it
    in one line: e.g. while cases is still starting)."""


class CasesDirectory(ServiceClient):
    """The cases service's API, called with a short-lived service token of its own."""

    def __init__(self, base_url: str, jwt_secret: str, clock: Clock, timeout: float = 5.0) -> None:
        super().__init__(
            base_url, jwt_secret, clock, caller="notifications", upstream="cases", timeout=timeout
        )
        self.audience_calls = 0  # HTTP calls for audiences (one per event, or one per batch)

    def _get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        unavailable: type[Exception] = AudienceUnavailable,
    ) -> dict[str, Any] | None:
        """GET one cases endpoint with this service's token: the JSON body, None for a 404;
        `unavailable` raised while cases cannot answer (down, 5xx), so the work is tried again."""
        response = self.get(path, unavailable, params)
        if response is None:
            return None
        body: dict[str, Any] = response.json()
        return body

    def _all_pages(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every item of a paged cases list (a 404 is an error here, not an empty list)."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            body = self._get(path, {**params, "page": page, "page_size": 500})
            if body is None:
                raise AudienceUnavailable(f"cases service: {path} not found")
            items += body["items"]
            if not body["items"] or len(items) >= body["total"]:
                return items
            page += 1

    def audience(
        self,
        case_id: UUID | None,
        school_id: UUID | None,
        partnership_consultants: bool = False,
        guardian_id: UUID | None = None,
    ) -> Audience | None:
        """The audience, or None when the case, school or guardian no longer exists; with every
        active consultant of the partnership (role `all_consultants`) when asked; or one guardian
        alone (`guardian_id`: their sign-in link)."""
        if guardian_id:
            params = {"guardian_id": str(guardian_id)}
        else:
            params = {"case_id": str(case_id)} if case_id else {"school_id": str(school_id)}
        if partnership_consultants:
            params["partnership_consultants"] = "true"
        self.audience_calls += 1
        body = self._get("/api/v1/internal/audience", params)
        return None if body is None else _audience(body)

    def audiences(self, keys: Sequence[AudienceKey]) -> dict[AudienceKey, Audience | None]:
        """The audiences of a batch of events in one call (in chunks of MAX_AUDIENCES): keys are
        ("guardian", guardian id) or ("case", case id or None, school id, every consultant)."""
        found: dict[AudienceKey, Audience | None] = {}
        for start in range(0, len(keys), MAX_AUDIENCES):
            chunk = list(keys[start : start + MAX_AUDIENCES])
            self.audience_calls += 1
            queries = {"queries": [_query(key) for key in chunk]}
            response = self.post("/api/v1/internal/audiences", AudienceUnavailable, queries)
            answers = response.json()["audiences"]
            found.update(
                (key, None if body is None else _audience(body))
                for key, body in zip(chunk, answers, strict=True)
            )
        return found

    def case_ids(self, pupil_id: UUID) -> list[UUID]:
        """The ids of every case of a pupil (also an anonymised pupil's: the cases keep their ids),
        read from the cases list with this service's own token."""
        items = self._all_pages("/api/v1/cases", {"pupil_id": str(pupil_id)})
        return [UUID(item["id"]) for item in items]

    def meeting_place(self, evaluation_id: UUID) -> MeetingPlace | None:
        """The place and video link of an evaluation's meeting as planned now, and the
        partnership's meeting organizer ("Partnership <address>") if set; None when the
        meeting is gone (404). Raises MeetingUnavailable while the cases service cannot answer
        (down, 5xx): the delivery is tried again. The answer is used for one message only."""
        body = self._get(f"/api/v1/internal/meetings/{evaluation_id}", None, MeetingUnavailable)
        if body is None:
            return None
        address = body.get("organizer_email")
        name = body.get("organizer_name")
        organizer = (f'"{quote(name)}" <{address}>' if name else address) if address else None
        return MeetingPlace(
            location=body.get("location"), video_url=body.get("video_url"), organizer=organizer
        )

    def consent_state(self, plan_id: UUID) -> ConsentState | None:
        """A plan's current action plan version and the versions the parents answered, with what
        a consent request tells the parents (answer-by day, school contact); None when the plan
        is gone. Raises ConsentUnavailable while the cases service cannot answer."""
        body = self._get(f"/api/v1/internal/plans/{plan_id}/consent", None, ConsentUnavailable)
        if body is None:
            return None
        answer_by = body.get("answer_by")
        return ConsentState(
            body["action_plan_version"],
            frozenset(body["answered_versions"]),
            answer_by=date.fromisoformat(answer_by) if answer_by else None,
            school_name=body.get("school_name"),
            partnership_name=body.get("partnership_name"),
            contact_name=body.get("contact_name"),
            contact_email=body.get("contact_email"),
            contact_phone=body.get("contact_phone"),
        )

    def intervention_status(self, intervention_id: UUID) -> str | None:
        """An intervention's status now (active, evaluated, stopped); None when it is gone.
        Raises ConsentUnavailable while the cases service cannot answer (the delivery is tried
        again)."""
        path = f"/api/v1/internal/interventions/{intervention_id}"
        body = self._get(path, None, ConsentUnavailable)
        return None if body is None else str(body["status"])

    def scheduled(self, partnership_id: UUID, start: date, end: date) -> list[ScheduledDate]:
        """The dates scheduled for open subjects of a partnership from `start` to `end` (both
        inclusive), each as the event that set it; every page, read with this service's token."""
        params = {
            "partnership_id": str(partnership_id),
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        items = self._all_pages("/api/v1/internal/scheduled", params)
        return [_scheduled_date(item) for item in items]


MAX_AUDIENCES = 500  # what the cases service answers in one call


def _query(key: AudienceKey) -> dict[str, Any]:
    if key[0] == "guardian":
        return {"guardian_id": str(key[1])}
    _kind, case_id, school_id, wide = key
    query = {"case_id": str(case_id)} if case_id else {"school_id": str(school_id)}
    return {**query, "partnership_consultants": bool(wide)}


def _audience(body: dict[str, Any]) -> Audience:
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
