"""Documents of a case (issue 14): attach (multipart), list, download, remove, and the parents'
decision to share one with the partnership. Every call is in the audit trail
(audit_hooks.AUDITED)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Response, current_app, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from services.cases.adapters.queries import Page
from services.cases.api.common import actor, container
from services.cases.api.imports import _UploadParser
from services.cases.domain.documents import Document
from services.cases.service_layer import documents as handlers
from shared.web import LOCATION, PageArgsSchema, created, page_schema

# The multipart envelope around the file.
ENVELOPE_BYTES = 64 * 1024


class _DocumentsBlueprint(Blueprint):
    ARGUMENTS_PARSER = _UploadParser()

    @property
    def MAX_BODY_BYTES(self) -> int:  # noqa: N802 - the name shared.web's body limit reads
        """shared.web's body limit, raised for this blueprint to the largest document."""
        return current_app.extensions["cases"].settings.document_max_bytes + ENVELOPE_BYTES


blp = _DocumentsBlueprint(
    "documents",
    __name__,
    url_prefix="/api/v1",
    description="Documents attached to a case; parents decide what the partnership may see.",
)


class UploadSchema(Schema):
    file = Upload(
        required=True,
        metadata={
            "description": "PDF, PNG, JPEG, Word/Excel/PowerPoint (.docx/.xlsx/.pptx) or "
            "OpenDocument; at most CASES_DOCUMENT_MAX_BYTES (default 10 MiB). The type is "
            "judged from the content, not the name."
        },
    )


class DocumentSchema(Schema):
    id = fields.UUID()
    case_id = fields.UUID()
    pupil_id = fields.UUID()
    school_id = fields.UUID()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()
    uploaded_by = fields.UUID()
    shared_with_partnership = fields.Boolean(
        metadata={"description": "The parents agreed that the partnership may see it."}
    )
    sharing_decided_at = fields.DateTime(allow_none=True)
    sharing_decided_by = fields.UUID(allow_none=True)


DocumentPageSchema = page_schema(DocumentSchema, "DocumentPage")


class SharingSchema(Schema):
    shared = fields.Boolean(
        required=True, metadata={"description": "true: the partnership may see the document."}
    )


def _storage() -> handlers.DocumentStorage:
    return container().document_storage


def _uow() -> Any:
    return container().uow()


@blp.route("/cases/<uuid:case_id>/documents")
class CaseDocuments(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, DocumentPageSchema)
    def get(self, args: dict[str, Any], case_id: UUID) -> Page:
        """The case's documents the caller may see (partnership staff: only those shared)."""
        docs = handlers.list_documents(_uow(), actor(), case_id)
        start = (args["page"] - 1) * args["page_size"]
        items = docs[start : start + args["page_size"]]
        return Page(items, args["page"], args["page_size"], len(docs))

    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, DocumentSchema, headers=LOCATION)
    def post(self, upload: dict[str, Any], case_id: UUID) -> Any:
        """Attach a file to the case (the school's coordinator)."""
        limit = container().settings.document_max_bytes
        file = upload["file"]
        content = file.read(limit + 1)
        cmd = handlers.AttachDocument(case_id, file.filename or "", content)
        doc_id = handlers.attach_document(cmd, _uow(), _storage(), actor(), limit)
        doc = handlers.get_document(_uow(), actor(), doc_id)
        return created(doc, ".DocumentView", document_id=doc_id)


@blp.route("/documents/<uuid:document_id>")
class DocumentView(MethodView):
    @blp.response(200, DocumentSchema)
    def get(self, document_id: UUID) -> Document:
        """One document's details."""
        return handlers.get_document(_uow(), actor(), document_id)

    @blp.response(204)
    def delete(self, document_id: UUID) -> None:
        """Remove a document: its record and its file (the school's coordinator)."""
        handlers.remove_document(_uow(), _storage(), actor(), document_id)


@blp.route("/documents/<uuid:document_id>/content")
class DocumentContent(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, document_id: UUID) -> Response:
        """Download the file, streamed, as an attachment."""
        doc, chunks = handlers.open_document(_uow(), _storage(), actor(), document_id)
        response = Response(stream_with_context(chunks), mimetype=doc.content_type)
        response.headers["Content-Length"] = str(doc.size)
        response.headers["Content-Disposition"] = content_disposition(doc.filename)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Cache-Control"] = "no-store"
        return response


@blp.route("/documents/<uuid:document_id>/sharing")
class DocumentSharing(MethodView):
    @blp.arguments(SharingSchema)
    @blp.response(200, DocumentSchema)
    def put(self, data: dict[str, Any], document_id: UUID) -> Document:
        """The parents decide whether the partnership may see this document (guardian token)."""
        return handlers.decide_sharing(_uow(), actor(), document_id, data["shared"])


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real one in RFC 5987 form."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
