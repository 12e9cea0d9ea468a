"""Each school's support profile (SOP): which domains it offers and when it is reviewed. The
list shows the version in force per school; a school's page shows every version and publishes a
new one (the API keeps the old ones)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from services.web.clients.admin import AdminClient, ProfileVersion
from services.web.clients.cases import CasesClient
from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import admin, page_number, paged, partnership_id, send
from services.web.pages.common import cases, container, current_language, render
from services.web.pages.school.forms import check_dates
from shared.clock import local_today

DATES = ("valid_from", "review_by")


@blp.get("/sop")
def sops() -> Any:
    """Every school with its SOP's newest version and review date, 25 per page."""
    client = admin()
    q = request.args.get("q", "").strip()[:100]
    found = [s for s in client.schools() if not q or q.lower() in s.name.lower()]
    page = paged(found, page_number())
    newest = {s.id: next(iter(client.profiles(s.id)), None) for s in page.items}
    return render(
        "admin/sops.html",
        active="admin",
        page=page,
        q=q,
        newest=newest,
        today=local_today(container().clock),
    )


def _domain_options(client: CasesClient) -> dict[str, list[tuple[str, str]]]:
    """The partnership's domains per level as (code, label) in the user's language."""
    language = current_language()
    options: dict[str, list[tuple[str, str]]] = {"basic": [], "extra": []}
    for d in client.domains(partnership_id()):
        options.setdefault(d.level, []).append((d.code, d.label(language)))
    return options


def _school(client: AdminClient, school_id: UUID) -> Any:
    school = next((s for s in client.schools() if s.id == school_id), None)
    if school is None:
        abort(404)
    return school


def _start_values(versions: list[ProfileVersion]) -> dict[str, Any]:
    newest = versions[0] if versions else None
    return {
        "basic_domains": list(newest.basic_domains) if newest else [],
        "extra_domains": list(newest.extra_domains) if newest else [],
        "valid_from": "",
        "review_by": "",
    }


@blp.route("/sop/<uuid:school_id>", methods=["GET", "POST"])
def sop(school_id: UUID) -> Any:
    """A school's SOP: its versions, and a new version to publish."""
    client = admin()
    school = _school(client, school_id)
    versions = client.profiles(school_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values: dict[str, Any] = {
            "basic_domains": request.form.getlist("basic_domains"),
            "extra_domains": request.form.getlist("extra_domains"),
            **{name: request.form.get(name, "").strip() for name in DATES},
        }
        check_dates(values, DATES, errors)
        if not errors:
            errors = send(lambda: client.publish_profile(school_id, values))
        if not errors:
            flash(
                _("Een nieuwe versie van het SOP van %(name)s is gepubliceerd.", name=school.name),
                "success",
            )
            return redirect(url_for("admin.sop", school_id=school_id))
    else:
        values = _start_values(versions)
    options = _domain_options(cases())
    labels = dict(options["basic"] + options["extra"])
    return render(
        "admin/sop.html",
        422 if errors else 200,
        school=school,
        versions=versions,
        values=values,
        errors=errors,
        options=options,
        domain_label=lambda code: labels.get(code, code),
    )
