"""Importing a school's staff (or pupils) from a CSV or XLSX file: upload, see the dry run's
report as a table (each row: created, changed and which fields, unchanged, or its errors), then
run it for real with one button. Between the two the file waits in Redis (30 minutes, named by
a random id kept in the session), so the real run imports exactly the file that was checked."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from flask import Flask, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.clients.admin import ImportReport
from services.web.clients.base import ApiError
from services.web.pages.admin.blueprint import blp
from services.web.pages.admin.common import IMPORT_FIELDS, admin, admin_translate
from services.web.pages.common import container, render

KINDS = {"staff": _l("Medewerkers"), "pupils": _l("Leerlingen met hun ouders")}
STATUSES = {
    "created": _l("nieuw"),
    "updated": _l("gewijzigd"),
    "unchanged": _l("ongewijzigd"),
    "rejected": _l("afgewezen"),
}
MAX_FILE_BYTES = 5 * 1024 * 1024  # the cases API's limit
IMPORT_PATH = "/beheer/import"
KEPT_SECONDS = 30 * 60
SESSION_KEY = "pending_import"
Errors = dict[str, list[str]]


def allow_import_files(app: Flask) -> None:
    """Imports send files up to the API's 5 MB; every other form keeps the app's small limit.
    Installed before CSRFProtect, whose check reads the form (and so the limit) first."""

    @app.before_request
    def _room_for_files() -> None:
        if request.method == "POST" and request.path == IMPORT_PATH:
            request.max_content_length = MAX_FILE_BYTES + 64 * 1024


def import_key(prefix: str, token: str) -> str:
    """Where a checked file waits: beside the sessions ("web:session:" -> "web:import:"), not
    under their prefix, so no session cookie can name it."""
    if "session" in prefix:
        return f"{prefix.replace('session', 'import', 1)}{token}"
    return f"{prefix}import:{token}"  # the tests' own prefixes, removed after each test


def _redis_key(token: str) -> str:
    return import_key(container().settings.session_key_prefix, token)


def _form(values: dict[str, str], errors: Errors, status: int = 200) -> Any:
    schools = admin().schools()
    return render(
        "admin/import_form.html",
        422 if errors else status,
        values=values,
        errors=errors,
        school_options=[(str(s.id), s.name) for s in schools],
        kinds=list(KINDS.items()),
    )


def _refusal(err: ApiError) -> Errors:
    """The API's refusal of the file at the form's fields (its columns, its size, its kind)."""
    if err.status == 403:
        return {"kind": [_("U mag deze import niet uitvoeren voor deze school.")]}
    if err.status not in (409, 413, 422):
        raise err
    errors: Errors = {}
    for path, messages in err.paths.items():
        name = "kind" if path == "role" else "file"
        field = path.split(".", 1)[1] if path.startswith("mapping.") else ""
        column = IMPORT_FIELDS.get(field, field)
        for message in messages:
            text = admin_translate(message)
            errors.setdefault(name, []).append(f"{column}: {text}" if column else text)
    return errors or {"file": [admin_translate(err.message)]}


@blp.route("/import", methods=["GET", "POST"])
def import_start() -> Any:
    """Choose the school, the kind and the file; sending it shows the dry run."""
    if request.method == "GET":
        return _form({"school_id": request.args.get("school", ""), "kind": "staff"}, {})
    values = {name: request.form.get(name, "").strip() for name in ("school_id", "kind")}
    upload = request.files.get("file")
    errors: Errors = {}
    if not values["school_id"]:
        errors["school_id"] = [_("Kies de school.")]
    if values["kind"] not in KINDS:
        errors["kind"] = [_("Kies wat u importeert.")]
    if upload is None or not upload.filename:
        errors["file"] = [_("Kies een CSV- of Excelbestand.")]
    if errors:
        return _form(values, errors)
    assert upload is not None
    content, filename = upload.read(), upload.filename or "import"
    try:
        report = admin().run_import(
            _school(values), values["kind"], filename, content, dry_run=True
        )
    except ApiError as err:
        return _form(values, _refusal(err))
    token = secrets.token_urlsafe(16)
    container().redis.set(_redis_key(token), content, ex=KEPT_SECONDS)
    session[SESSION_KEY] = {"id": token, "filename": filename, **values}
    return _report(report, values, filename, token)


def _school(values: dict[str, str]) -> UUID:
    """The chosen school; what is no school's id the API answers with a 404 (its nil id)."""
    try:
        return UUID(values["school_id"])
    except ValueError:
        return UUID(int=0)


def _report(report: ImportReport, values: dict[str, str], filename: str, token: str) -> Any:
    schools = {str(s.id): s.name for s in admin().schools()}
    return render(
        "admin/import_report.html",
        report=report,
        kind=values["kind"],
        kinds=KINDS,
        statuses=STATUSES,
        school_name=schools.get(values["school_id"], ""),
        filename=filename,
        token=token,
        translate=admin_translate,
        field_names=IMPORT_FIELDS,
    )


@blp.post("/import/uitvoeren")
def import_run() -> Any:
    """Run the import that was just checked, for real; the waiting file is then removed."""
    pending = session.get(SESSION_KEY)
    token = request.form.get("import", "")
    if not pending or pending.get("id") != token:
        return _expired()
    content = container().redis.get(_redis_key(token))
    if content is None:
        return _expired()
    values = {"school_id": pending["school_id"], "kind": pending["kind"]}
    try:
        report = admin().run_import(
            _school(values), values["kind"], pending["filename"], content, dry_run=False
        )
    except ApiError as err:
        return _form(values, _refusal(err))
    container().redis.delete(_redis_key(token))
    session.pop(SESSION_KEY, None)
    return _report(report, values, pending["filename"], "")


def _expired() -> Any:
    errors = {"file": [_("Deze proefimport is verlopen. Kies het bestand opnieuw.")]}
    return _form({"school_id": "", "kind": "staff"}, errors)
