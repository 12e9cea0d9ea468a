"""Request hooks that name who acts: the acting user on the events a request writes, and the
audit trail of every read and write of pupil data (issue 5). `create_app` registers them."""

from __future__ import annotations

from typing import Any

from flask import Response, g, request

from services.cases.adapters import audit as audit_trail
from services.cases.adapters import outbox
from services.cases.adapters.unit_of_work import SqlAlchemyUnitOfWork
from services.cases.api.access import SERVICE_READ_POSTS
from services.cases.api.common import close_read_session, container, uow
from shared.auth import Principal, Role

AUDITED = tuple(
    f"/api/v1/{part}"
    for part in (
        "pupils",
        "cases",
        "interventions",
        "development-plans",
        "referrals",
        "evaluations",
        "documents",
        "applications",
        "internal/audience",
        "internal/scheduled",
        "internal/meetings",
        "schools/",
    )
)


def start_acting() -> None:
    """Before a request: events this request writes name its user (the timeline's "door ...");
    a service's (the web asking a guardian's sign-in link) are the system's."""
    principal = g.get("principal")
    if principal is not None and principal.role is not Role.SERVICE:
        g.acting = outbox.acting.set((principal.user_id, principal.role.value))


def stop_acting(_exc: BaseException | None) -> None:
    """Teardown: the request's acting user no longer names events."""
    if "acting" in g:
        outbox.acting.reset(g.pop("acting"))


def record_audit(response: Response) -> Response:
    """After a request: every read and write of pupil data: who, what, when, from where. A write
    whose row went into its own transaction (`audited_uow`) answering as that row says needs
    none more; a refused or failed one (no commit, or a failure after it) is recorded here."""
    principal = g.get("principal")
    if principal is None or not request.path.startswith(AUDITED):
        return response
    close_read_session()  # the response is serialised: release the reading connection first
    unit = g.get("audit_unit")
    if unit is not None and unit.audited and unit.audited["status"] == response.status_code:
        return response
    audit_trail.record(container().audit_engine, **_row(principal, response.status_code))
    return response


def audited_uow(status: int) -> SqlAlchemyUnitOfWork:
    """The request's unit of work (`common.uow`), its commit appending the request's audit row
    as answering `status` (the view's success status) in the same transaction: a write then
    costs one commit, and its row exists exactly when the change does, a crash before the
    answer included (issue 15). Nothing committed: `record_audit` writes the row as before."""
    unit = uow()
    principal = g.principal
    unit.audit_row = lambda: _row(principal, status)
    g.audit_unit = unit
    return unit


def _row(principal: Principal, status: int) -> dict[str, Any]:
    """The audit row of this request, answering `status`."""
    rule = request.url_rule.rule if request.url_rule else request.path
    return {
        "at": container().clock.now(),
        "partnership_id": principal.partnership_id,
        "user_id": principal.user_id,
        "role": principal.role.value,
        "action": "read"
        if request.method in ("GET", "HEAD") or request.path in SERVICE_READ_POSTS
        else "write",
        "method": request.method,
        "endpoint": rule[:200],
        "resource_id": audit_trail.first_uuid(request.view_args or {}),
        "status": status,
        "ip": (request.remote_addr or "")[:45] or None,
    }
