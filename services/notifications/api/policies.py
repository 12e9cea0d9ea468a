"""Notification policies: list, create, change, enable/disable, preview and simulation."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from services.notifications.adapters.apprise_sender import InvalidTransport, check_url
from services.notifications.adapters.cases_client import AudienceUnavailable
from services.notifications.api.preview_schemas import (
    PolicySimulationInSchema,
    PreviewQuerySchema,
    SimulationSchema,
)
from services.notifications.api.schemas import (
    MissingHolidaysSchema,
    PolicyInSchema,
    PolicyPatchSchema,
    PolicySchema,
    PreviewItemSchema,
)
from services.notifications.bootstrap import Container
from services.notifications.domain.holidays import missing_school_years
from services.notifications.domain.policy import Policy
from services.notifications.service_layer import preview
from services.notifications.service_layer.masking import mask
from services.notifications.service_layer.policies import ensure_defaults
from services.notifications.service_layer.ports import PolicyStore
from shared.auth import Role
from shared.clock import AMSTERDAM
from shared.errors import Forbidden, NotFound, RuleViolation, ServiceUnavailable, StateConflict
from shared.events import CATALOG
from shared.web import LOCATION, created, principal

blp = Blueprint(
    "policies",
    __name__,
    url_prefix="/api/v1/policies",
    description="Notification policies of the partnership.",
)


def _c() -> Container:
    return current_app.extensions["notifications"]


def admin_partnership() -> UUID:
    """The caller's partnership, if the caller is its administrator (403 otherwise)."""
    p = principal()
    if p.role is not Role.ADMIN or p.partnership_id is None:
        raise Forbidden("Only the partnership's administrator manages notification policies.")
    return p.partnership_id


def _out(policy: Policy) -> Policy:
    policy.group_channel_count = len(policy.group_urls)  # type: ignore[attr-defined]
    return policy


def check(policy: Policy, store: PolicyStore) -> None:
    """The policy's rules, its group URLs, its school and its key; raises what the API answers."""
    check_rules(policy)
    if store.key_taken(policy):
        raise StateConflict(
            "A policy with this key exists for this scope.",
            code="key_taken",
            errors={"key": ["Already in use."]},
        )


def check_rules(policy: Policy) -> None:
    """Everything `check` asks but the key (a preview saves nothing, so takes no key)."""
    unusable: dict[str, list[str]] = {}  # reported with the rule violations (DESIGN.md §6)
    for i, url in enumerate(policy.group_urls):
        try:
            check_url(url)
        except InvalidTransport as err:
            unusable[f"group_urls.{i}"] = [str(err)]
    try:
        policy.validate(set(CATALOG))
    except RuleViolation as err:
        raise RuleViolation(err.message, errors={**err.errors, **unusable}) from err
    if unusable:
        raise RuleViolation("A group channel URL is not usable.", errors=unusable)
    if policy.school_id is not None:
        try:
            school = _c().directory.audience(None, policy.school_id)
        except AudienceUnavailable as err:
            raise ServiceUnavailable("The cases service does not answer; try again.") from err
        if school is None or school.partnership_id != policy.partnership_id:
            raise RuleViolation(
                "The policy names a school outside the partnership.",
                errors={"school_id": ["Not a school of this partnership."]},
            )


@blp.route("/")
class Policies(MethodView):
    @blp.response(200, PolicySchema(many=True))
    def get(self) -> list[Policy]:
        """All policies of the partnership (school overrides included)."""
        partnership_id = admin_partnership()
        with _c().store() as store:
            ensure_defaults(store, partnership_id, _c().clock.now())
            return [_out(p) for p in store.policies(partnership_id)]

    @blp.arguments(PolicyInSchema)
    @blp.response(201, PolicySchema, headers=LOCATION)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a policy (or a school's override of a partnership policy with the same key)."""
        partnership_id = admin_partnership()
        policy = Policy(partnership_id=partnership_id, **data)
        with _c().store() as store:
            ensure_defaults(store, partnership_id, _c().clock.now())
            check(policy, store)
            store.save_policy(policy, _c().clock.now())
            store.commit()
        return created(_out(policy), ".PolicyView", policy_id=policy.id)


@blp.route("/holidays")
class MissingHolidays(MethodView):
    @blp.response(200, MissingHolidaysSchema)
    def get(self) -> dict[str, list[str]]:
        """Which school years' holidays are missing (the policy page warns of them)."""
        admin_partnership()
        c = _c()
        with c.store() as store:
            loaded = store.holiday_school_years()
        today = c.clock.now().astimezone(AMSTERDAM).date()
        return {"missing_school_years": missing_school_years(loaded, today)}


def scoped_policy(store: PolicyStore, policy_id: UUID) -> Policy:
    """A policy of the administrator's partnership (404 for any other)."""
    policy = store.policy(policy_id)
    if policy is None or policy.partnership_id != admin_partnership():
        raise NotFound("No such policy.")
    return policy


@blp.route("/<uuid:policy_id>")
class PolicyView(MethodView):
    @blp.response(200, PolicySchema)
    def get(self, policy_id: UUID) -> Policy:
        """Show a policy."""
        with _c().store() as store:
            return _out(scoped_policy(store, policy_id))

    @blp.arguments(PolicyInSchema)
    @blp.response(200, PolicySchema)
    def put(self, data: dict[str, Any], policy_id: UUID) -> Policy:
        """Replace a policy; planned notifications keep their moment, new events follow it."""
        with _c().store() as store:
            current = scoped_policy(store, policy_id)
            policy = Policy(partnership_id=current.partnership_id, id=current.id, **data)
            if not data["group_urls"]:
                policy.group_urls = current.group_urls  # secrets are never echoed back
            check(policy, store)
            store.save_policy(policy, _c().clock.now())
            store.commit()
        return created(_out(policy), ".PolicyView", policy_id=policy.id)

    @blp.arguments(PolicyPatchSchema)
    @blp.response(200, PolicySchema)
    def patch(self, data: dict[str, Any], policy_id: UUID) -> Policy:
        """Enable or disable a policy."""
        with _c().store() as store:
            policy = dataclasses.replace(scoped_policy(store, policy_id), enabled=data["enabled"])
            store.save_policy(policy, _c().clock.now())
            store.commit()
        return created(_out(policy), ".PolicyView", policy_id=policy.id)


def simulation(policy: Policy, days: int) -> preview.Simulation:
    """What the policy would send in the next `days` for the dates scheduled now; 503 while the
    cases service does not answer."""
    c = _c()
    try:
        return preview.simulate_policy(policy, c.store, c.directory, c.clock.now(), days)
    except AudienceUnavailable as err:
        raise ServiceUnavailable("The cases service does not answer; try again.") from err


def draft_policy(data: dict[str, Any], store: PolicyStore) -> Policy:
    """A policy as submitted for a simulation (unchecked); a draft of a saved policy
    (`policy_id`) keeps that policy's id and, as PUT does, its group URLs."""
    values = {k: v for k, v in data.items() if k not in ("days", "policy_id")}
    if data.get("policy_id") is None:
        policy = Policy(partnership_id=admin_partnership(), **values)
    else:
        current = scoped_policy(store, data["policy_id"])
        policy = Policy(partnership_id=current.partnership_id, id=current.id, **values)
        if not values["group_urls"]:
            policy.group_urls = current.group_urls
    return policy


@blp.route("/preview")
class PolicySimulation(MethodView):
    @blp.arguments(PolicySimulationInSchema)
    @blp.response(200, SimulationSchema)
    def post(self, data: dict[str, Any]) -> preview.Simulation:
        """Simulate a policy before saving it: the reminders it would send in the next `days`
        (1-60, default 30) for the dates scheduled now. Validated as create; saves nothing."""
        admin_partnership()
        with _c().store() as store:
            policy = draft_policy(data, store)
        check_rules(policy)  # as create checks it (the key aside: nothing is saved)
        return simulation(policy, data["days"])


@blp.route("/<uuid:policy_id>/preview")
class Preview(MethodView):
    @blp.arguments(PreviewQuerySchema, location="query")
    @blp.response(200, PreviewItemSchema(many=True))
    @blp.doc(
        responses={
            "200": {
                "description": "The planned rows, or with `simulate=true` the simulation.",
                "content": {
                    "application/json": {
                        "schema": {"oneOf": [PreviewItemSchema(many=True), SimulationSchema]}
                    }
                },
            }
        }
    )
    def get(self, args: dict[str, Any], policy_id: UUID) -> Any:
        """What this policy will send in the next N days, to whom and when; sends nothing.
        With `simulate=true`: what it would send for the dates scheduled now (as
        POST /policies/preview answers), not the rows it has planned."""
        with _c().store() as store:
            policy = scoped_policy(store, policy_id)
        if args["simulate"]:  # outside the session: it asks the cases service
            return jsonify(SimulationSchema().dump(simulation(policy, args["days"])))
        now = _c().clock.now()
        with _c().store() as store:
            rows = store.upcoming(
                policy.partnership_id,
                policy.key,
                policy.school_id,
                now,
                now + timedelta(days=args["days"]),
            )
        return [{**row, "recipient": mask(row["address"], row["channel"])} for row in rows]
