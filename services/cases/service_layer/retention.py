"""Rule 9: a pupil's personal data is anonymised after the retention period (the partnership's
setting: default 2 years after the pupil left, 3 when there was a referral), once every case of
the pupil is closed; a case closed after the pupil left starts the period from its closing.
Codes, dates and decisions stay, so the anonymous facts reports need remain; the events never
held personal data, so reports rebuilt from them are unchanged."""

from __future__ import annotations

from datetime import date, timedelta

from services.cases.service_layer.documents import (
    DocumentStorage,
    discard,
    drop_pupil_documents,
)
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.clock import local_today


def anonymise_due(uow: AbstractUnitOfWork, storage: DocumentStorage | None = None) -> int:
    """One pass over every partnership; returns how many pupils were anonymised. The pupil's
    documents go with them (issue 14): their rows in the same transaction, their bytes from
    `storage` right after it commits."""
    with uow:
        today = local_today(uow.clock)
        partnerships = uow.notices.partnerships()
    done = 0
    for partnership_id, settings in partnerships:
        shortest = min(settings.retention_years, settings.referral_retention_years)
        with uow:
            candidates = uow.retention.pupils_left_before(
                partnership_id, today - timedelta(days=365 * shortest - 1)
            )
        for pupil_id in candidates:  # one transaction per pupil: one failure stops no other
            done += _anonymise(uow, pupil_id, today, storage)
    return done


def _anonymise(
    uow: AbstractUnitOfWork, pupil_id: object, today: date, storage: DocumentStorage | None
) -> int:
    with uow:
        pupil = uow.repo.pupil(pupil_id)  # type: ignore[arg-type]
        if pupil is None or pupil.anonymised_on is not None:
            return 0
        partnership = uow.repo.partnership(pupil.partnership_id)
        assert partnership is not None
        cases = uow.retention.cases_of(pupil.id)
        if any(case.status != "closed" for case in cases):
            return 0  # a case still running keeps its data
        last_closed = max((c.closed_on for c in cases if c.closed_on is not None), default=None)
        ends = pupil.retention_ends(
            partnership.settings, any(c.referrals for c in cases), last_closed
        )
        if ends is None or ends > today:
            return 0
        keys = drop_pupil_documents(uow, pupil.id)
        if keys and storage is None:
            raise RuntimeError("anonymising a pupil with documents needs the document store")
        for case in cases:
            case.anonymise()
            for application in uow.applications.of_case(case.id):
                application.anonymise()  # issue 14: its free texts go with the case's
        pupil.anonymise(today)
        uow.commit()
    for key in keys:
        discard(storage, key)  # type: ignore[arg-type]
    return 1
