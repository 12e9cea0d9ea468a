"""A TLV application as plain values (issue 14): what api/tlv.py's ApplicationSchema shows and
the decision letter (domain/tlv_letter.py) reads, built inside the caller's unit of work, with
only the documents the caller may see."""

from __future__ import annotations

from typing import Any

from services.cases.domain import tlv
from services.cases.domain.documents import Document
from services.cases.domain.documents import may_read as may_read_document
from services.cases.domain.model import Case
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal
from shared.clock import local_today


def view(
    uow: AbstractUnitOfWork,
    actor: Principal,
    app: tlv.TlvApplication,
    brief: bool = False,
    docs: list[Document] | None = None,
) -> dict[str, Any]:
    """The application as plain values (api/tlv.py's ApplicationSchema), built inside the unit
    of work; documents only those this caller may see (a consultant: the ones shared). `docs`:
    the case's documents when the caller has them (a list reads a page's at once)."""
    by_id = {str(d.id): d for d in (uow.documents.of_case(app.case_id) if docs is None else docs)}
    chosen: list[Document] = [by_id[i] for i in app.document_ids if i in by_id]
    out: dict[str, Any] = {
        name: getattr(app, name)
        for name in (
            "id", "referral_id", "case_id", "partnership_id", "school_id", "pupil_id",
            "plan_id", "status", "created_on", "motivation", "submitted_on", "parents_agreed",
            "decide_by", "version",
        )
    }  # fmt: skip
    out["documents"] = [
        {"id": d.id, "filename": d.filename, "shared_with_partnership": d.shared_with_partnership}
        for d in chosen
        if may_read_document(actor, d)
    ]
    pupil, school = uow.repo.pupil(app.pupil_id), uow.repo.school(app.school_id)
    out["pupil_name"] = f"{pupil.given_name} {pupil.family_name}".strip() if pupil else None
    out["school_name"] = school.name if school else None
    out["parents_view"] = _parents_view(app)
    out["sign_off"] = _sign_off(uow, app)
    out["parents_agreement"] = _agreement(app)
    out["advices"] = [
        {
            "id": a.id,
            "adviser_role": a.adviser_role,
            "adviser_name": a.adviser_name,
            "conclusion": a.conclusion,
            "recorded_on": a.recorded_on,
        }
        for a in app.advices
    ]
    out["decision"] = _decision(app)
    out["overdue"] = bool(
        app.decide_by and app.status != "decided" and app.decide_by < local_today(uow.clock)
    )
    if not brief:
        out.update(_from_case(uow.cases.get(app.case_id), app))
    return out


def _sign_off(uow: AbstractUnitOfWork, app: tlv.TlvApplication) -> dict[str, Any] | None:
    if app.signed_off_on is None or app.signed_off_by is None:
        return None
    director = uow.repo.user(app.signed_off_by)
    return {
        "director_id": app.signed_off_by,
        "director_name": director.name if director else None,
        "signed_on": app.signed_off_on,
    }


def _parents_view(app: tlv.TlvApplication) -> dict[str, Any] | None:
    if not app.parents_view_text:
        return None
    return {
        "text": app.parents_view_text,
        "channel": app.parents_view_channel,
        "guardian_id": app.parents_view_guardian_id,
        "recorded_by": app.parents_view_by,
        "recorded_at": app.parents_view_at,
    }


def _agreement(app: tlv.TlvApplication) -> dict[str, Any]:
    return {
        "status": app.agreement_status,
        "awaited_guardian_ids": app.awaited_guardian_ids,
        "answers": [
            {
                "decision": a.decision,
                "channel": a.channel,
                "guardian_ids": list(a.guardian_ids),
                "recorded_on": a.recorded_on,
                "recorded_at": a.recorded_at,
                "recorded_by": a.recorded_by,
            }
            for a in app.answers
        ],
    }


def _decision(app: tlv.TlvApplication) -> dict[str, Any] | None:
    if app.decision is None:
        return None
    return {
        "decision": app.decision,
        "decided_on": app.decided_on,
        "school_type": app.school_type,
        "category": app.category,
        "valid_from": app.valid_from,
        "valid_until": app.valid_until,
    }


def _from_case(case: Case | None, app: tlv.TlvApplication) -> dict[str, Any]:
    """The plan and its held evaluations by reference, and the referral's destination."""
    plan = next((p for p in case.plans if p.id == app.plan_id), None) if case else None
    referral = next((r for r in case.referrals if r.id == app.referral_id), None) if case else None
    return {
        "plan": None
        if plan is None
        else {
            "id": plan.id,
            "status": plan.status,
            "evaluations": [
                {"id": e.id, "held_on": e.held_on, "decision": e.decision}
                for e in sorted(plan.evaluations, key=lambda e: e.held_on or e.due_on)
                if e.status == "held"
            ],
        },
        "destination": referral.destination if referral else None,
        "requested_on": referral.requested_on if referral else None,
    }
