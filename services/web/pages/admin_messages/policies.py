"""Notification policies in the browser: list, create, edit (own message texts included), switch
on/off, preview and the simulation of the form as typed ("Voorbeeld"). The notifications API
validates, scopes, checks and saves; the page shows its problems at the fields, in Dutch."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.base import ApiError
from services.web.pages.admin_messages import policy_form
from services.web.pages.admin_messages.blueprint import blp
from services.web.pages.admin_messages.common import notifications, school_names
from services.web.pages.admin_messages.labels import api_text, template_label
from services.web.pages.common import render
from shared.events import CATALOG

SIMULATION_DAYS = 30
PREVIEW_DAYS = 30


@blp.get("/beheer/berichten")
def policies() -> Any:
    """The partnership's policies with the schools' overrides."""
    client = notifications()
    items = sorted(
        client.policies(),
        key=lambda p: (p["school_id"] is not None, p["key"], str(p["school_id"])),
    )
    return render(
        "admin/messages/policies.html",
        policies=items,
        schools=school_names(),
        missing_holidays=client.missing_holidays(),
        active="messages",
    )


def _problem(field: str, message: str) -> str:
    """A problem in the page's language; a text's problem without Dutch wording says it is one."""
    shown = api_text(message)
    if field.startswith("text.") and shown == message:
        return _("De tekst klopt niet: %(problem)s", problem=message)
    return shown


def _texts(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The own-text fields of the form, with each sample's problem in the page's language."""
    texts = policy_form.text_forms(values)
    for message in texts:
        for text in message["languages"]:
            if text["sample_problem"]:
                problem = api_text(text["sample_problem"])
                text["sample_problem"] = _("Geen voorbeeld mogelijk: %(problem)s", problem=problem)
    return texts


def _form_page(values: dict[str, Any], errors: dict[str, list[str]], **context: Any) -> Any:
    shown = {field: [_problem(field, m) for m in messages] for field, messages in errors.items()}
    texts = _texts(values)
    return render(
        "admin/messages/policy_form.html",
        422 if errors else 200,
        values=values,
        errors=shown,
        texts=texts,
        variables=policy_form.text_variables([message["key"] for message in texts]),
        dropped=[template_label(k) for k in policy_form.dropped_texts(values)],
        event_types=sorted(CATALOG),
        roles=policy_form.ROLES,
        staff_roles=policy_form.STAFF,
        channels=policy_form.PERSONAL_CHANNELS,
        schools=school_names(),
        active="messages",
        **context,
    )


def _input(values: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The API's body for the form, or the problems the form itself finds."""
    body, problems = policy_form.policy_input(values)
    return (None, problems) if problems else (body, {})


UNAVAILABLE = _l(
    "Het voorbeeld kon niet worden gemaakt: de trajectenadministratie antwoordt niet. "
    "Probeer het zo opnieuw."
)


def _refused(err: ApiError) -> dict[str, list[str]]:
    """The API's refusal per form field (a 503: try again)."""
    if err.status >= 500:
        return {policy_form.GENERAL: [str(UNAVAILABLE)]}
    return policy_form.field_errors(err.errors or {policy_form.GENERAL: [err.message or err.code]})


def _saved(policy: dict[str, Any], values: dict[str, Any]) -> Any:
    """Say it is saved, and which own texts were dropped with their event types; to the list."""
    flash(_("Beleid “%(name)s” is opgeslagen.", name=policy["name"]), "success")
    dropped = [template_label(k) for k in policy_form.dropped_texts(values)]
    if dropped:
        flash(
            _(
                "De eigen teksten van %(messages)s zijn vervallen: die gebeurtenis hoort niet meer "
                "bij dit beleid.",
                messages=", ".join(dropped),
            ),
            "info",
        )
    return redirect(url_for("admin_messages.policies"))


@blp.route("/beheer/berichten/nieuw", methods=["GET", "POST"])
def policy_new() -> Any:
    """Create a policy (or a school's override)."""
    if request.method == "GET":
        return _form_page(policy_form.new_values(), {}, policy=None)
    values = policy_form.submitted_values(request.form)
    body, errors = _input(values)
    if body is not None:
        try:
            return _saved(notifications().create_policy(body), values)
        except ApiError as err:
            errors = _refused(err)
    return _form_page(values, errors, policy=None)


@blp.route("/beheer/berichten/<uuid:policy_id>/wijzigen", methods=["GET", "POST"])
def policy_edit(policy_id: UUID) -> Any:
    """Change a policy; empty group channels keep the stored ones, own texts of messages not on
    the form stay, those of event types the policy no longer has are dropped (with a notice)."""
    client = notifications()
    current = client.policy(policy_id)
    if request.method == "GET":
        return _form_page(policy_form.policy_values(current), {}, policy=current)
    values = policy_form.submitted_values(request.form)
    policy_form.keep_stored_texts(values, current.get("templates") or {})
    body, errors = _input(values)
    if body is not None:
        try:
            return _saved(client.replace_policy(policy_id, body), values)
        except ApiError as err:
            if err.status == 404:
                raise
            errors = _refused(err)
    return _form_page(values, errors, policy=current)


@blp.post("/beheer/berichten/<uuid:policy_id>/aan-uit")
def policy_toggle(policy_id: UUID) -> Any:
    """Switch a policy on or off (the form says which, so a repeated click does no harm)."""
    enabled = request.form.get("enabled") == "true"
    policy = notifications().set_enabled(policy_id, enabled)
    if enabled:
        flash(_("Beleid “%(name)s” staat aan.", name=policy["name"]), "success")
    else:
        flash(_("Beleid “%(name)s” staat uit.", name=policy["name"]), "success")
    return redirect(url_for("admin_messages.policies"))


@blp.get("/beheer/berichten/<uuid:policy_id>/vooruitblik")
def policy_preview(policy_id: UUID) -> Any:
    """What the policy will send in the next days (30 unless chosen), masked; sends nothing."""
    wanted = request.args.get("days", str(PREVIEW_DAYS))
    days = int(wanted) if wanted.isdigit() and 1 <= int(wanted) <= 366 else PREVIEW_DAYS
    client = notifications()
    policy = client.policy(policy_id)
    return render(
        "admin/messages/preview.html",
        policy=policy,
        items=client.preview(policy_id, days),
        days=days,
        schools=school_names(),
        active="messages",
    )


@blp.post("/beheer/berichten/voorbeeld")
def policy_simulate_new() -> Any:
    """The new-policy form's "Voorbeeld": what the policy as typed would send in the next 30
    days for the dates scheduled now, shown under the form; nothing is saved."""
    values = policy_form.submitted_values(request.form)
    return _simulated(values, None)


@blp.post("/beheer/berichten/<uuid:policy_id>/voorbeeld")
def policy_simulate(policy_id: UUID) -> Any:
    """The edit form's "Voorbeeld": the policy as changed (own texts as typed, those not on the
    form and, when none are typed, group channels as saved), simulated without saving."""
    current = notifications().policy(policy_id)
    values = policy_form.submitted_values(request.form)
    policy_form.keep_stored_texts(values, current.get("templates") or {})
    return _simulated(values, current)


def _simulated(values: dict[str, Any], current: dict[str, Any] | None) -> Any:
    """The form again, with the simulation under it, or with the problems the API gives."""
    body, errors = _input(values)
    if body is None:
        return _form_page(values, errors, policy=current)
    body.update(days=SIMULATION_DAYS, policy_id=current["id"] if current else None)
    try:
        result = notifications().simulate(body)
    except ApiError as err:
        if err.status == 404:
            raise
        return _form_page(values, _refused(err), policy=current)
    return _form_page(values, {}, policy=current, simulation=result)
