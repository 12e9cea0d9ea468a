"""Bulk import of a school's pupils (with guardians) and staff from CSV or XLSX files."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from flask import Request
from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields
from sqlalchemy.exc import IntegrityError
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from services.cases.adapters.spreadsheet import read_sheet
from services.cases.api.common import actor, uow
from services.cases.domain.imports import (
    MAX_FILE_BYTES,
    PUPIL_COLUMNS,
    STAFF_COLUMNS,
    ImportPupils,
    ImportStaff,
    file_too_large,
)
from services.cases.service_layer import imports
from services.cases.service_layer.imports import ImportReport
from shared.errors import StateConflict


class _UploadParser(FlaskParser):
    """Reads an upload's file and its text fields (`mapping`) together: in OpenAPI 3 they are one
    multipart/form-data body, not a body plus form parameters."""

    def load_files(self, req: Request, schema: Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


# The file plus a little for the multipart envelope and the mapping field.
MAX_REQUEST_BYTES = MAX_FILE_BYTES + 64 * 1024


class _UploadBlueprint(Blueprint):
    ARGUMENTS_PARSER = _UploadParser()
    MAX_BODY_BYTES = MAX_REQUEST_BYTES  # shared.web's body limit, raised for the files


blp = _UploadBlueprint(
    "imports",
    __name__,
    url_prefix="/api/v1",
    description="Bulk import of pupils with guardians, and of staff, from CSV or XLSX files.",
)


class MappingField(fields.String):
    """A JSON object {field: "Header in the file" or null} sent as a form field."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            mapping = json.loads(text)
        except ValueError as err:
            raise ValidationError("Not valid JSON.") from err
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) and len(str(v)) <= 200
            for k, v in mapping.items()
        ):
            raise ValidationError('An object like {"given_name": "Roepnaam", "prefix": null}.')
        return mapping


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "Report only."})


class ImportUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV or XLSX, at most 5 MB."})
    mapping = MappingField(
        load_default=None,
        metadata={
            "description": "JSON object: field -> header in the file, null to ignore a column. "
            f"Pupil fields: {', '.join(PUPIL_COLUMNS)}. Staff fields: {', '.join(STAFF_COLUMNS)}."
        },
    )


class ImportSummarySchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()


class _RowSchema(Schema):
    row = fields.Integer(metadata={"description": "The spreadsheet's row number; header = 1."})
    status = fields.String(metadata={"description": "created, updated, unchanged or rejected"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    changes = fields.List(fields.String(), metadata={"description": "Fields an update changes."})


class PupilImportRowSchema(_RowSchema):
    pupil_number = fields.String(attribute="key", allow_none=True)


class StaffImportRowSchema(_RowSchema):
    email = fields.String(attribute="key", allow_none=True)


class PupilImportSchema(Schema):
    dry_run = fields.Boolean()
    summary = fields.Nested(ImportSummarySchema)
    rows = fields.List(fields.Nested(PupilImportRowSchema))


class StaffImportSchema(Schema):
    dry_run = fields.Boolean()
    summary = fields.Nested(ImportSummarySchema)
    rows = fields.List(fields.Nested(StaffImportRowSchema))


Cmd = TypeVar("Cmd", ImportPupils, ImportStaff)


def _run(handler: Callable[..., ImportReport], cmd: Cmd) -> ImportReport:
    """Run an import; a database refusal (a concurrent import of the same rows) keeps nothing."""
    try:
        return handler(cmd, uow(), actor(), read_sheet)
    except IntegrityError:
        raise StateConflict(
            "The database refused the import (did another import run at the same time?); "
            "nothing of the file was imported. Try again.",
            code="import_conflict",
        ) from None


def _read(upload: FileStorage) -> tuple[bytes, str]:
    content = upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise file_too_large()
    return content, upload.filename or ""


@blp.route("/schools/<uuid:school_id>/imports/pupils")
class PupilImport(MethodView):
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.arguments(ImportUploadSchema, location="files")
    @blp.response(200, PupilImportSchema)
    def post(self, args: dict, upload: dict, school_id: UUID) -> ImportReport:
        """Import pupils with their guardians (the school's coordinator), keyed by pupil number."""
        content, filename = _read(upload["file"])
        cmd = ImportPupils(school_id, content, filename, upload["mapping"], args["dry_run"])
        return _run(imports.import_pupils, cmd)


@blp.route("/schools/<uuid:school_id>/imports/staff")
class StaffImport(MethodView):
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.arguments(ImportUploadSchema, location="files")
    @blp.response(200, StaffImportSchema)
    def post(self, args: dict, upload: dict, school_id: UUID) -> ImportReport:
        """Import the school's staff with their roles (the partnership's administrator)."""
        content, filename = _read(upload["file"])
        cmd = ImportStaff(school_id, content, filename, upload["mapping"], args["dry_run"])
        return _run(imports.import_staff, cmd)
