"""A case's documents on the case page (issue 14): the coordinator attaches, downloads and
removes them; others who may see them download. The cases API judges every file."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _

from services.web.clients.base import ApiError
from services.web.clients.documents import DocumentsClient, Download
from services.web.pages.common import cases, container
from services.web.pages.school.access import changes_cases, refused
from services.web.pages.school.blueprint import blp
from services.web.pages.school.cases import case_page


def documents() -> DocumentsClient:
    return DocumentsClient(cases().api)


def refusal(err: ApiError) -> str:
    """The cases API's refusal of a file, in the page's language."""
    size = f"{container().settings.document_max_bytes / (1024 * 1024):.3g} MB"
    messages = {
        "empty_file": _("Het bestand is leeg."),
        "file_too_large": _("Het bestand is groter dan %(size)s.", size=size),
        "payload_too_large": _("Het bestand is groter dan %(size)s.", size=size),
        "unsupported_file_type": _(
            "Dit soort bestand kan niet worden toegevoegd. Voeg een PDF, een afbeelding (PNG of "
            "JPEG) of een Office-document (Word, Excel, PowerPoint of OpenDocument) toe."
        ),
        "unsafe_file_name": _("Deze bestandsnaam kan niet: gebruik een naam zonder / of \\."),
        "active_content": _(
            "Het bestand bevat scripts of macro's en kan daarom niet worden toegevoegd."
        ),
        "case_closed": _("Het traject is gesloten; er kunnen geen documenten meer bij."),
    }
    return messages.get(err.code, _("Het bestand kon niet worden toegevoegd."))


@blp.post("/trajecten/<uuid:case_id>/documenten")
def attach_document(case_id: UUID) -> Any:
    """Attach a file to the case (the coordinator); a refused file is explained at the field."""
    if not changes_cases():
        return refused()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return case_page(case_id, 422, {"file": [_("Kies een bestand.")]})
    try:
        doc = documents().attach(case_id, upload.filename, upload.stream, upload.mimetype)
    except ApiError as err:
        if err.status in (409, 413, 422):
            return case_page(case_id, 422, {"file": [refusal(err)]})
        raise
    flash(_("%(name)s is toegevoegd.", name=doc.filename), "success")
    return redirect(url_for("school.case", case_id=case_id, _anchor="documenten"))


@blp.get("/trajecten/<uuid:case_id>/documenten/<uuid:document_id>")
def download_document(case_id: UUID, document_id: UUID) -> Response:
    """The file, streamed from the cases API as an attachment."""
    return stream(documents().download(document_id))


@blp.post("/trajecten/<uuid:case_id>/documenten/<uuid:document_id>/verwijderen")
def remove_document(case_id: UUID, document_id: UUID) -> Any:
    """Remove a document (the coordinator)."""
    if not changes_cases():
        return refused()
    documents().remove(document_id)
    flash(_("Het document is verwijderd."), "success")
    return redirect(url_for("school.case", case_id=case_id, _anchor="documenten"))


def stream(download: Download) -> Response:
    """A download passed on with the API's type and name, never rendered by the browser."""
    response = Response(stream_with_context(download.chunks), mimetype=download.content_type)
    response.headers["Content-Disposition"] = download.disposition
    if download.length:
        response.headers["Content-Length"] = download.length
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
