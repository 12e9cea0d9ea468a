"""Parents in the loop (issue 13): a guardian signs in through a one-time link sent by e-mail,
and answers the request for consent online.

The cases service owns the guardian's identity: it records one link per request (its id is the
nonce the signed token carries; single use, short-lived) and emits `guardian.sign_in_requested`
with ids only. The notifications service reads the address from this service and signs the
link with the shared secret when it sends the message, so neither the address nor a usable link
ever travels in an event. Exchanging the token spends the link and opens (or reuses) the
guardian's account, tied to every record with that address in the partnership: their token
names exactly their own children.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from services.cases.domain import events
from services.cases.domain.consent import ConsentChannel
from services.cases.domain.model import Case
from services.cases.domain.school import Guardian, Pupil, User
from services.cases.service_layer.handlers.accounts import principal_of
from services.cases.service_layer.handlers.plans import consent_needed
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal, Role, Validity
from shared.clock import local_today
from shared.errors import Forbidden, NotFound, StateConflict, Unauthorized
from shared.signing import BadSignature, unsign

SIGN_IN_PURPOSE = "guardian-sign-in"


class LinkRefused(Unauthorized):
    """The sign-in link is unknown, tampered with, expired or already used."""


def request_link(email: str, uow: AbstractUnitOfWork, now: datetime, ttl: timedelta) -> int:
    """Record a sign-in link for each partnership that has a guardian with this address and
    emit its event; nothing for an unknown address (the caller answers the same either way).
    Returns how many links were made (for tests and logs, never for the answer)."""
    made = 0
    with uow:
        per_partnership: dict[UUID, tuple[Guardian, Pupil]] = {}
        for guardian, pupil in uow.repo.guardians_with_email(email):
            per_partnership.setdefault(pupil.partnership_id, (guardian, pupil))
        for partnership_id, (guardian, pupil) in per_partnership.items():
            if not _may_sign_in(uow, email, partnership_id):
                continue
            link_id = uuid4()
            expires_at = now + ttl
            uow.repo.add_sign_in_link(
                id=link_id,
                partnership_id=partnership_id,
                guardian_id=guardian.id,
                email=email.strip().lower(),
                created_at=now,
                expires_at=expires_at,
            )
            uow.emit(
                events.GuardianSignInRequested(
                    partnership_id=partnership_id,
                    school_id=pupil.school_id,  # type: ignore[attr-defined]
                    guardian_id=guardian.id,
                    link_id=link_id,
                    expires_at=expires_at,
                )
            )
            made += 1
        uow.commit()
    return made


def _may_sign_in(uow: AbstractUnitOfWork, email: str, partnership_id: UUID) -> bool:
    """An address that is a staff account, a disabled account or another partnership's
    guardian account gets no link (one account per address)."""
    account = uow.repo.user_by_email(email)
    return account is None or (
        account.role == Role.GUARDIAN
        and account.partnership_id == partnership_id
        and account.active
    )


@dataclass(frozen=True)
class GuardianSignIn:
    principal: Principal
    language: str
    # The guardian records tied to the account (one per child): their message settings in the
    # notifications service are kept per record, so the language chosen on the parents' pages
    # is saved for each.
    guardian_ids: tuple[UUID, ...] = ()


def exchange_link(
    token: str, uow: AbstractUnitOfWork, secret: str, now: datetime
) -> GuardianSignIn:
    """Spend a sign-in link: the guardian's principal (their own children), or LinkRefused."""
    try:
        link_id = UUID(str(unsign(token, secret, SIGN_IN_PURPOSE, now)["lid"]))
    except (BadSignature, KeyError, ValueError) as err:
        raise LinkRefused("This sign-in link is not valid.", code="link_invalid") from err
    with uow:
        link = uow.repo.use_sign_in_link(link_id, now)
        if link is None:
            raise LinkRefused("This sign-in link was used or has expired.", code="link_spent")
        email, partnership_id = link["email"], link["partnership_id"]
        if not _may_sign_in(uow, email, partnership_id):
            uow.commit()  # the link stays spent
            raise LinkRefused("This address cannot sign in here.", code="link_invalid")
        user = uow.repo.user_by_email(email)
        if user is None:
            guardian = _guardian(uow, email, partnership_id)
            user = User(
                partnership_id=partnership_id,
                role=Role.GUARDIAN.value,
                email=email,
                name=guardian.name,
                password_hash=None,  # signs in by link only
                language=guardian.language,
            )
            uow.repo.add(user)
        uow.repo.link_guardians(email, partnership_id, user.id)
        records = tuple(
            g.id
            for g, p in uow.repo.guardians_with_email(email)
            if p.partnership_id == partnership_id
        )
        uow.commit()
        return GuardianSignIn(principal_of(user, uow), user.language, records)


def _guardian(uow: AbstractUnitOfWork, email: str, partnership_id: UUID) -> Guardian:
    for guardian, pupil in uow.repo.guardians_with_email(email):
        if pupil.partnership_id == partnership_id:
            return guardian
    raise LinkRefused("No guardian with this address any more.", code="link_invalid")


@dataclass(frozen=True)
class OnlineAnswer:
    plan_id: UUID
    decision: str
    content_hash: str
    from_address: str
    reason: str | None = None


def answer_online(answer: OnlineAnswer, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """A guardian agrees or declines online: recorded through the plan's consent rules, as
    this guardian, on the version they read (a stale hash is a 409), channel `online`."""
    now = uow.clock.now()
    with uow:
        case, pupil, mine = _own_plan(uow, answer.plan_id, actor)
        if case.plan(answer.plan_id).consent_requested_on is None:
            raise StateConflict(
                "The school has not asked for consent on this version.",
                code="consent_not_requested",
            )
        case.record_consent(
            answer.plan_id,
            decision=answer.decision,
            recorded_on=local_today(uow.clock),
            guardian_ids=mine,
            today=local_today(uow.clock),
            how=ConsentChannel(
                channel="online",
                content_hash=answer.content_hash,
                recorded_at=now,
                from_address=answer.from_address[:64],
                recorded_by=actor.user_id,
                reason=answer.reason,
            ),
            needed=consent_needed(uow, case, pupil),
        )
        uow.commit()


def _own_plan(
    uow: AbstractUnitOfWork, plan_id: UUID, actor: Principal
) -> tuple[Case, Pupil, list[str]]:
    """A plan of the signed-in guardian's own child (inside an open unit of work): its case, the
    pupil and this guardian's records of the pupil; anyone else's is a 404."""
    case = uow.cases.by_plan(plan_id)
    if (
        actor.role is not Role.GUARDIAN
        or case is None
        or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id)
    ):
        raise NotFound("No such development plan.")
    pupil = uow.repo.pupil(case.pupil_id)
    mine = [str(g.id) for g in pupil.guardians if g.user_id == actor.user_id] if pupil else []
    if pupil is None or not mine:
        raise NotFound("No such development plan.")
    return case, pupil, mine


def write_parents_view(plan_id: UUID, text: str, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """A guardian writes the parents' own view (ouderdeel) on their child's plan. Stored on
    the plan with which guardian and when; no event (free text about the pupil)."""
    with uow:
        case, _pupil, mine = _own_plan(uow, plan_id, actor)
        case.record_parents_view(plan_id, text=text, guardian_id=UUID(mine[0]), at=uow.clock.now())
        uow.commit()


def sign_out_everywhere(uow: AbstractUnitOfWork, actor: Principal, now: datetime) -> Validity:
    """End every session of the signed-in guardian: tokens issued up to now are refused on
    every request (the account's `tokens_valid_after`, like a disable). Returns the validity
    for the other services' cache."""
    if actor.role is not Role.GUARDIAN:
        raise Forbidden("Only a guardian signs out everywhere here.")
    with uow:
        user = uow.repo.user(actor.user_id)
        if user is None:
            raise NotFound("No such account.")
        user.sessions_valid_after = now
        validity = user.token_validity()
        uow.commit()
        return validity
