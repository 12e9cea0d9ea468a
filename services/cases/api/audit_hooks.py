"""Request hooks that name who acts: the acting user on the events a request writes, and the
audit trail of every read and write of pupil data (issue 5). `create_app` registers them."""

from __future__ import annotations

from flask import Response, g, request

from services.cases.adapters import audit as audit_trail
from services.cases.adapters import outbox
from services.cases.api.access import SERVICE_READ_POSTS
from services.cases.api.common import close_read_session, container
from shared.auth import Role

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
    """After a request: every read and write of pupil data: who, what, when, from where."""
    principal = g.get("principal")
    if principal is None or not request.path.startswith(AUDITED):
        return response
    close_read_session()  # the response is serialised: release the reading connection first
    rule = request.url_rule.rule if request.url_rule else request.path
    cases = container()
    audit_trail.record(
        cases.audit_engine,
        at=cases.clock.now(),
        partnership_id=principal.partnership_id,
        user_id=principal.user_id,
        role=principal.role.value,
        action="read"
        if request.method in ("GET", "HEAD") or request.path in SERVICE_READ_POSTS
        else "write",
        method=request.method,
        endpoint=rule[:200],
        resource_id=audit_trail.first_uuid(request.view_args or {}),
        status=response.status_code,
        ip=(request.remote_addr or "")[:45] or None,
    )
    return response
