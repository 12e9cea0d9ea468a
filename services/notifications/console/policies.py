"""Notification policies in the browser: list, create, edit (own message texts included),
enable/disable, preview and the simulation of the form as typed ("Voorbeeld"). The API's schema
validates the form, the API's helpers scope and check it, and the same store calls save it, so the
console can do exactly what the API lets the same user do."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from marshmallow import ValidationError

from services.notifications.api import policies as api
from services.notifications.api.schemas import PolicyInSchema, PreviewArgsSchema
from services.notifications.console import catalogue, forms
from services.notifications.console.cases import schools
from services.notifications.console.web import blp, container, lang, render, t
from services.notifications.domain.holidays import missing_school_years
from services.notifications.domain.policy import PERSONAL_CHANNELS, ROLES, STAFF, Policy
from services.notifications.service_layer import handlers
from services.notifications.service_layer.masking import mask
from shared.clock import AMSTERDAM
from shared.errors import AppError, ServiceUnavailable
from shared.events import CATALOG


@blp.get("/policies")
def policies() -> Any:
    """The partnership's policies with the schools' overrides."""
    partnership_id = api.admin_partnership()
    c = container()
    with c.store() as store:
        handlers.ensure_defaults(store, partnership_id, c.clock.now())
        items = sorted(
            store.policies(partnership_id),
            key=lambda p: (p.school_id is not None, p.key, str(p.school_id)),
        )
        today = c.clock.now().astimezone(AMSTERDAM).date()
        missing = missing_school_years(store.holiday_school_years(), today)
    return render(
        "policies.html",
        policies=items,
        schools=schools(),
        missing_holidays=missing,
        section="policies",
    )


def _problem(field: str, message: str, language: str) -> str:
    """A problem in the page's language; a text's problem without Dutch wording says it is one."""
    shown = catalogue.message(message, language)
    if field.startswith("text.") and shown == message and language == "nl":
        return t("texts.invalid", problem=message)
    return shown


def _texts(values: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """The own-text fields of the form, with each sample's problem in the page's language."""
    texts = forms.text_forms(values)
    for message in texts:
        for text in message["languages"]:
            if text["sample_problem"]:
                problem = catalogue.message(text["sample_problem"], language)
                text["sample_problem"] = t("texts.sample_failed", problem=problem)
    return texts


def _form_page(values: dict[str, Any], errors: dict[str, list[str]], **context: Any) -> Any:
    language = lang()
    shown = {
        field: [_problem(field, m, language) for m in messages]
        for field, messages in errors.items()
    }
    texts = _texts(values, language)
    return render(
        "policy_form.html",
        422 if errors else 200,
        values=values,
        errors=shown,
        texts=texts,
        variables=forms.text_variables([message["key"] for message in texts]),
        dropped=[catalogue.template_label(k, language) for k in forms.dropped_texts(values)],
        event_types=sorted(CATALOG),
        roles=ROLES,
        staff_roles=STAFF,
        channels=PERSONAL_CHANNELS,
        schools=schools(),
        section="policies",
        **context,
    )


def _validated(values: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The API's validation of the form; the data, or the problems per field."""
    raw, problems = forms.policy_input(values)
    try:
        data = PolicyInSchema().load(raw)
    except ValidationError as err:
        return None, {**forms.field_errors(err.normalized_messages()), **problems}
    return (None, problems) if problems else (data, {})


def _save(policy: Policy, store: Any) -> dict[str, list[str]]:
    """Check and save as the API does; the problems per field when it refuses."""
    try:
        api.check(policy, store)
    except AppError as err:
        return forms.field_errors(err.errors or {forms.GENERAL: [err.message]})
    store.save_policy(policy, container().clock.now())
    store.commit()
    return {}


def _saved(policy: Policy, values: dict[str, Any]) -> Any:
    """Say it is saved, and which own texts were dropped with their event types; to the list."""
    flash(t("policies.saved", name=policy.name), "success")
    dropped = [catalogue.template_label(k, lang()) for k in forms.dropped_texts(values)]
    if dropped:
        flash(t("texts.dropped_done", messages=", ".join(dropped)), "info")
    return redirect(url_for("console.policies"))


@blp.route("/policies/new", methods=["GET", "POST"])
def new_policy() -> Any:
    """Create a policy (or a school's override)."""
    partnership_id = api.admin_partnership()
    if request.method == "GET":
        return _form_page(forms.new_values(), {}, policy=None)
    values = forms.submitted_values(request.form)
    data, errors = _validated(values)
    if data is not None:
        policy = Policy(partnership_id=partnership_id, **data)
        c = container()
        with c.store() as store:
            handlers.ensure_defaults(store, partnership_id, c.clock.now())
            errors = _save(policy, store)
        if not errors:
            return _saved(policy, values)
    return _form_page(values, errors, policy=None)


@blp.route("/policies/<uuid:policy_id>/edit", methods=["GET", "POST"])
def edit_policy(policy_id: UUID) -> Any:
    """Change a policy; empty group channels keep the stored ones, own texts of messages not on
    the form stay, those of event types the policy no longer has are dropped (with a notice)."""
    with container().store() as store:
        current = api.scoped_policy(store, policy_id)
        if request.method == "GET":
            return _form_page(forms.policy_values(current), {}, policy=current)
        values = forms.submitted_values(request.form)
        forms.keep_stored_texts(values, current.templates)
        data, errors = _validated(values)
        if data is not None:
            policy = Policy(partnership_id=current.partnership_id, id=current.id, **data)
            if not data["group_urls"]:
                policy.group_urls = current.group_urls
            errors = _save(policy, store)
            if not errors:
                return _saved(policy, values)
    return _form_page(values, errors, policy=current)


@blp.post("/policies/<uuid:policy_id>/enabled")
def toggle_policy(policy_id: UUID) -> Any:
    """Switch a policy on or off (the form says which, so a repeated click does no harm)."""
    enabled = request.form.get("enabled") == "true"
    with container().store() as store:
        policy = dataclasses.replace(api.scoped_policy(store, policy_id), enabled=enabled)
        store.save_policy(policy, container().clock.now())
        store.commit()
    key = "policies.enabled_done" if enabled else "policies.disabled_done"
    flash(t(key, name=policy.name), "success")
    return redirect(url_for("console.policies"))


@blp.get("/policies/<uuid:policy_id>/preview")
def preview_policy(policy_id: UUID) -> Any:
    """What the policy will send in the next days (30 unless chosen), masked; sends nothing."""
    try:
        days = PreviewArgsSchema().load({"days": request.args.get("days", "30")})["days"]
    except ValidationError:
        days = 30
    c = container()
    now = c.clock.now()
    with c.store() as store:
        policy = api.scoped_policy(store, policy_id)
        rows = store.upcoming(
            policy.partnership_id, policy.key, policy.school_id, now, now + timedelta(days=days)
        )
    items = [{**row, "recipient": mask(row["address"], row["channel"])} for row in rows]
    return render(
        "preview.html",
        policy=policy,
        items=items,
        days=days,
        schools=schools(),
        section="policies",
    )


SIMULATION_DAYS = 30


@blp.post("/policies/simulate")
def simulate_new_policy() -> Any:
    """The new-policy form's "Voorbeeld": what the policy as typed would send in the next 30
    days for the dates scheduled now, shown under the form; nothing is saved."""
    partnership_id = api.admin_partnership()
    values = forms.submitted_values(request.form)
    data, errors = _validated(values)
    if data is None:
        return _form_page(values, errors, policy=None)
    return _simulated(values, Policy(partnership_id=partnership_id, **data), current=None)


@blp.post("/policies/<uuid:policy_id>/simulate")
def simulate_policy(policy_id: UUID) -> Any:
    """The edit form's "Voorbeeld": the policy as changed (own texts as typed, those not on the
    form and, when none are typed, group channels as saved), simulated without saving; the page
    shows each text's sample message too."""
    with container().store() as store:
        current = api.scoped_policy(store, policy_id)
    values = forms.submitted_values(request.form)
    forms.keep_stored_texts(values, current.templates)
    data, errors = _validated(values)
    if data is None:
        return _form_page(values, errors, policy=current)
    policy = Policy(partnership_id=current.partnership_id, id=current.id, **data)
    if not data["group_urls"]:
        policy.group_urls = current.group_urls
    return _simulated(values, policy, current)


def _simulated(values: dict[str, Any], policy: Policy, current: Policy | None) -> Any:
    """The form again, with the simulation under it, or with the problems the API would give."""
    try:
        api.check_rules(policy)
        result = api.simulation(policy, SIMULATION_DAYS)
    except ServiceUnavailable:
        return _form_page(values, {forms.GENERAL: [t("simulation.unavailable")]}, policy=current)
    except AppError as err:
        errors = forms.field_errors(err.errors or {forms.GENERAL: [err.message]})
        return _form_page(values, errors, policy=current)
    return _form_page(values, {}, policy=current, simulation=result)
