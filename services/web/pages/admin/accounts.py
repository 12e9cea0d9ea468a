"""The partnership's accounts: a list (filter by school, role and active, search by name or
e-mail, 25 per page), creating one, changing its role and school, disabling and enabling."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from services.web.clients.admin import Account, AdminClient, AdminSchool
from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import (
    ROLES,
    STAFF_ROLE_CODES,
    admin,
    page_number,
    paged,
    send,
)
from services.web.pages.common import current_user, render
from services.web.pages.school.forms import read

NEW_FIELDS = ("name", "email", "role", "school_id", "language", "phone", "password")
STATES = ("active", "disabled")


def _filters(schools: list[AdminSchool]) -> dict[str, str]:
    args = request.args
    school_ids = {str(s.id) for s in schools}
    return {
        "q": args.get("q", "").strip()[:100],
        "school": args.get("school") if args.get("school") in school_ids else "",
        "role": args.get("role") if args.get("role") in ROLES else "",
        "state": args.get("state") if args.get("state") in STATES else "",
    }


def _matches(account: Account, f: dict[str, str]) -> bool:
    q = f["q"].lower()
    return (
        (not q or q in account.name.lower() or q in account.email.lower())
        and (not f["school"] or str(account.school_id) == f["school"])
        and (not f["role"] or account.role == f["role"])
        and (not f["state"] or account.active == (f["state"] == "active"))
    )


@blp.get("/accounts")
def accounts() -> Any:
    """Every account of the partnership, filtered, 25 per page."""
    client = admin()
    schools = client.schools()
    filters = _filters(schools)
    found = [a for a in client.accounts() if _matches(a, filters)]
    return render(
        "admin/accounts.html",
        active="admin",
        page=paged(found, page_number()),
        filters=filters,
        schools=schools,
        school_names={s.id: s.name for s in schools},
        roles=ROLES,
    )


def _options(schools: list[AdminSchool]) -> list[tuple[str, str]]:
    return [(str(s.id), s.name) for s in schools]


def _optional(value: str) -> str | None:
    return value or None


@blp.route("/accounts/nieuw", methods=["GET", "POST"])
def account_new() -> Any:
    """Create a staff account (a password now, or none: the person then cannot log in yet)."""
    client = admin()
    if request.method == "POST":
        values = read(NEW_FIELDS)
        values["password"] = request.form.get("password", "")  # as typed, spaces and all
        body = {
            "name": values["name"],
            "email": values["email"],
            "role": values["role"],
            "school_id": _optional(values["school_id"]),
            "language": values["language"] or "nl",
            "phone": _optional(values["phone"]),
            "password": _optional(values["password"]),
        }
        errors = send(lambda: client.create_account(body))
        if not errors:
            flash(_("Het account van %(name)s is aangemaakt.", name=values["name"]), "success")
            return redirect(url_for("admin.accounts"))
        values["password"] = ""  # never shown again
    else:
        values = dict.fromkeys(NEW_FIELDS, "") | {"language": "nl"}
        errors = {}
    return render(
        "admin/account_form.html",
        422 if errors else 200,
        values=values,
        errors=errors,
        school_options=_options(client.schools()),
        roles=[(code, ROLES[code]) for code in STAFF_ROLE_CODES],
    )


def _account(client: AdminClient, user_id: UUID) -> Account:
    found = next((a for a in client.accounts() if a.id == user_id), None)
    if found is None:
        abort(404)
    return found


@blp.route("/accounts/<uuid:user_id>", methods=["GET", "POST"])
def account(user_id: UUID) -> Any:
    """One account: its details, its role and school (changeable), disable or enable."""
    client = admin()
    found = _account(client, user_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = read(("role", "school_id"))
        body = {"role": values["role"], "school_id": _optional(values["school_id"])}
        errors = send(lambda: client.update_account(user_id, body))
        if not errors:
            flash(
                _(
                    "De rol van %(name)s is gewijzigd; die persoon logt opnieuw in.",
                    name=found.name,
                ),
                "success",
            )
            return redirect(url_for("admin.account", user_id=user_id))
    else:
        values = {"role": found.role, "school_id": str(found.school_id or "")}
    schools = client.schools()
    user = current_user()
    return render(
        "admin/account.html",
        422 if errors else 200,
        account=found,
        values=values,
        errors=errors,
        school_options=_options(schools),
        school_names={s.id: s.name for s in schools},
        roles=ROLES,
        role_choices=[(code, ROLES[code]) for code in STAFF_ROLE_CODES],
        own=user is not None and user.user_id == user_id,
    )


@blp.post("/accounts/<uuid:user_id>/actief")
def account_active(user_id: UUID) -> Response:
    """Disable (its sessions end at once) or enable an account."""
    client = admin()
    found = _account(client, user_id)
    active = request.form.get("active") == "ja"
    errors = send(lambda: client.set_active(user_id, active))
    if errors:
        for messages in errors.values():
            for message in messages:
                flash(message, "error")
    elif active:
        flash(_("Het account van %(name)s is weer ingeschakeld.", name=found.name), "success")
    else:
        flash(_("Het account van %(name)s is uitgeschakeld.", name=found.name), "success")
    return redirect(url_for("admin.account", user_id=user_id))
