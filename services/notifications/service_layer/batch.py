"""Planning a batch of events at once (the stream consumer reads them in batches): one
"already processed" query for the batch, the audiences of all its cases, schools and guardians
asked of the cases service in one call, and the batch's plans written in one transaction with
the events' processed marks. Idempotent by event id like planning one event."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Protocol, TypeGuard
from uuid import UUID

from services.notifications.domain.planning import Audience, plan_event
from services.notifications.domain.policy import ALL_CONSULTANTS, SIGN_IN_EVENT, Policy
from services.notifications.domain.timing import HolidayCalendar
from services.notifications.service_layer.handlers import CALLED_OFF, CANCELS, forget_pupil
from services.notifications.service_layer.policies import ensure_defaults, policies_in_force
from services.notifications.service_layer.ports import (
    CancelFilter,
    Directory,
    NotificationStore,
    StoreFactory,
)
from shared.events import Envelope

ANONYMISED_EVENT = "pupil.anonymised"

# Who an event is about, as the cases service's audience endpoint is asked: a guardian alone
# (their sign-in link), or a case or school, with or without every consultant of the partnership.
AudienceKey = tuple[Hashable, ...]


class BatchDirectory(Directory, Protocol):
    def audiences(self, keys: Sequence[AudienceKey]) -> dict[AudienceKey, Audience | None]: ...


def audiences_of(
    directory: Directory, keys: Sequence[AudienceKey]
) -> dict[AudienceKey, Audience | None]:
    """Every key's audience: in one call when the directory answers many at once."""
    if not keys:
        return {}
    many = getattr(directory, "audiences", None)
    if many is not None:
        answer: dict[AudienceKey, Audience | None] = many(keys)
        return answer
    return {key: _one(directory, key) for key in keys}


def _one(directory: Directory, key: AudienceKey) -> Audience | None:
    if key[0] == "guardian":
        return directory.audience(None, None, guardian_id=key[1])  # type: ignore[arg-type]
    _kind, case_id, school_id, wide = key
    return directory.audience(case_id, school_id, bool(wide))  # type: ignore[arg-type]


def audience_key(envelope: Envelope, policies: list[Policy]) -> AudienceKey:
    """What to ask the cases service about an event the `policies` react to."""
    if envelope.type == SIGN_IN_EVENT:
        return ("guardian", UUID(str(envelope.data["guardian_id"])))
    wide = any(ALL_CONSULTANTS in p.recipient_roles + p.escalate_to for p in policies)
    case_id = envelope.data.get("case_id")
    return ("case", UUID(str(case_id)) if case_id else None, envelope.school_id, wide)


def handle_event(
    envelope: Envelope, stores: StoreFactory, directory: Directory, now: datetime
) -> int:
    """Plan what one event asks for, as a batch of one; idempotent by event id. Returns rows
    added (0 for an event processed before)."""
    return plan_batch([envelope], stores, directory, now)[0] or 0


def plan_batch(
    envelopes: Sequence[Envelope], stores: StoreFactory, directory: Directory, now: datetime
) -> list[int | None]:
    """Plan what each event asks for, in order; per event the rows added, or None when it was
    processed before (a duplicate). An anonymised pupil's event is handled alone where it stands
    (its scrub must follow what came before it and precede what comes after)."""
    outcomes: list[int | None] = []
    run: list[Envelope] = []
    for envelope in envelopes:
        if envelope.type == ANONYMISED_EVENT:
            outcomes += _plan_run(run, stores, directory, now)
            run = []
            outcomes.append(_forget(envelope, stores, directory, now))
        else:
            run.append(envelope)
    return outcomes + _plan_run(run, stores, directory, now)


def _forget(
    envelope: Envelope, stores: StoreFactory, directory: Directory, now: datetime
) -> int | None:
    """An anonymised pupil's event: None when processed before, else 0 (it plans nothing)."""
    return None if forget_pupil(envelope, stores, directory, now) is None else 0


def _plan_run(
    envelopes: list[Envelope], stores: StoreFactory, directory: Directory, now: datetime
) -> list[int | None]:
    """Plan a run of events (none of them an anonymised pupil's): one "already processed"
    query, one audience call to the cases service, one transaction for the plans."""
    if not envelopes:
        return []
    fresh, policies_of = _fresh_with_policies(envelopes, stores, now)
    keys = {e.id: audience_key(e, policies_of[e.id]) for e in fresh if policies_of[e.id]}
    # The directory is asked outside any transaction: it is a network call.
    audiences = audiences_of(directory, list(dict.fromkeys(keys.values())))
    wanted = {e.id: audiences.get(keys[e.id]) if e.id in keys else None for e in fresh}
    with stores() as store:
        added = _plan_fresh(store, fresh, policies_of, wanted, now)
        store.mark_processed_many([(e.id, e.type) for e in fresh], now)
        store.commit()
    # a repeat within the batch: a duplicate
    return [added.pop(e.id, None) for e in envelopes]


def _fresh_with_policies(
    envelopes: list[Envelope], stores: StoreFactory, now: datetime
) -> tuple[list[Envelope], dict[UUID, list[Policy]]]:
    """The events not processed before (each once, also when the batch holds it twice: a
    catch-up beside the stream), and the policies that react to each."""
    with stores() as store:
        seen = store.processed_among([e.id for e in envelopes])
        fresh = list({e.id: e for e in envelopes if e.id not in seen}.values())
        for partnership_id in dict.fromkeys(e.partnership_id for e in fresh):
            ensure_defaults(store, partnership_id, now)
        by_school: dict[tuple[UUID, UUID | None], list[Policy]] = {}
        policies_of: dict[UUID, list[Policy]] = {}
        for e in fresh:
            key = (e.partnership_id, e.school_id)
            if key not in by_school:
                by_school[key] = policies_in_force(store, e.partnership_id, e.school_id)
            policies_of[e.id] = _reacting(by_school[key], e)
    return fresh, policies_of


def _reacting(policies: list[Policy], envelope: Envelope) -> list[Policy]:
    """The policies an event asks for; none for an event without a school (a partnership's
    name), which has no one to tell."""
    if envelope.school_id is None:
        return []
    return [p for p in policies if envelope.type in p.event_types]


def _plan_fresh(
    store: NotificationStore,
    fresh: list[Envelope],
    policies_of: dict[UUID, list[Policy]],
    audiences: dict[UUID, Audience | None],
    now: datetime,
) -> dict[UUID, int]:
    """Cancel what each event makes obsolete and plan what it asks for, in order; the rows
    added per event."""
    added: dict[UUID, int] = {}
    calendar: HolidayCalendar | None = None
    # Cancellations wait until rows are planned (or the end): consecutive ones go in one
    # UPDATE, and each still reaches every row planned by the events before it.
    cancels: list[CancelFilter] = []
    for e in fresh:
        cancel = CANCELS.get(e.type)
        cancels += cancel(e.data) if cancel is not None else []
        audience = audiences[e.id]
        added[e.id] = 0
        if _tells_anyone(audience, e.type):
            store.cancel_pending_many(now, cancels)
            cancels = []
            calendar = calendar or store.calendar()
            planned = plan_event(e, policies_of[e.id], audience, calendar, now)
            added[e.id] = store.add_planned(planned, now)
    store.cancel_pending_many(now, cancels)
    return added


def _tells_anyone(audience: Audience | None, event_type: str) -> TypeGuard[Audience]:
    """Whether the event has an audience to plan for: nothing more about a closed case, except
    withdrawing the invitations to its meetings."""
    return audience is not None and (audience.case_status != "closed" or event_type == CALLED_OFF)
