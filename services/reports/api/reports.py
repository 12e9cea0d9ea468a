"""Outcome reports: a school's, and the partnership's per school, as JSON or a CSV, XLSX or PDF
download."""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.reports.adapters import pdf, xlsx
from services.reports.api.schemas import (
    CompiledReportSchema,
    PartnershipReportSchema,
    ReportArgsSchema,
    SchoolReportSchema,
)
from services.reports.bootstrap import Container
from services.reports.domain import formats, labels
from services.reports.domain.report import Period
from services.reports.domain.table import Table
from services.reports.service_layer import compile as reports
from services.reports.service_layer.periodic import CompiledReport
from shared.auth import PARTNERSHIP_ROLES, Role
from shared.clock import local_today
from shared.errors import Forbidden, NotFound
from shared.web import principal

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/reports",
    description="Outcome reports per school and for the partnership.",
)
SCHOOL_LEADERS = frozenset({Role.DIRECTOR, Role.COORDINATOR})
CSV_DOC = {"200": {"description": "CSV (UTF-8 with BOM)", "content": {"text/csv": {}}}}
XLSX_DOC = {
    "200": {
        "description": 'Excel workbook: one sheet "Rapport", suppressed counts as the text "<5"'
        ' (or "x"), a figure left out as "–"',
        "content": {xlsx.MIMETYPE: {}},
    }
}
PDF_DOC = {
    "200": {
        "description": "Tagged PDF (PDF/UA-1, A4): a header, the key figures, bar charts with "
        'alt text and every figure; suppressed counts read "<5" and are never drawn as a bar',
        "content": {pdf.MIMETYPE: {}},
    },
    "503": {"description": "The server lacks the system libraries the PDF needs (Pango)"},
}


def _c() -> Container:
    return current_app.extensions["reports"]


def school_partnership(
    school_id: UUID,
    partnership_roles: frozenset[Role] = PARTNERSHIP_ROLES,
    refusal: str = "Reports are for the partnership's staff and the school's leadership.",
) -> UUID:
    """The caller's partnership if the school is in their scope: the partnership roles see the
    partnership's schools, directors and coordinators their own (404 for any other school)."""
    p = principal()
    if p.partnership_id is not None and p.role in partnership_roles:
        with _c().reader() as reader:
            if reader.partnership_of(school_id) != p.partnership_id:
                raise NotFound("No such school.")
        return p.partnership_id
    if p.partnership_id is not None and p.role in SCHOOL_LEADERS:
        if school_id not in p.school_ids:
            raise NotFound("No such school.")
        return p.partnership_id
    raise Forbidden(refusal)


def _require_reader() -> None:
    if principal().role not in PARTNERSHIP_ROLES | SCHOOL_LEADERS:
        raise Forbidden("Reports are for the partnership's staff and the school's leadership.")


def _partnership() -> UUID:
    p = principal()
    if p.partnership_id is None or p.role not in PARTNERSHIP_ROLES:
        raise Forbidden("The partnership's report is for its administrators and consultants.")
    return p.partnership_id


def _school_report(args: dict[str, Any], school_id: UUID) -> dict[str, Any]:
    partnership_id = school_partnership(school_id)
    period = Period(args["start"], args["end"])
    today = local_today(_c().clock)
    # The school's own report is exact, also for the partnership's staff (who see every pupil's
    # case in the cases service anyway); the partnership's average beside it is suppressed.
    return reports.school_report(
        _c().reader, partnership_id, school_id, period, today, exact=True, lang=args["lang"]
    )


def _partnership_report(args: dict[str, Any]) -> dict[str, Any]:
    period = Period(args["start"], args["end"])
    today = local_today(_c().clock)
    return reports.partnership_report(_c().reader, _partnership(), period, today, args["lang"])


def _csv(table: Table, lang: str, filename: str) -> Response:
    """Semicolons in Dutch (what Excel expects there), commas in English; every figure written
    as in the PDF (domain/formats.py), which a spreadsheet in that language reads as a number."""
    rows = [
        [formats.shown(v, table.keys[i], lang) for i, v in enumerate(row)] for row in table.rows
    ]
    return _csv_response([table.header, *rows], lang, filename)


def _csv_response(rows: list[list[Any]], lang: str, filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if lang == "nl" else ",", lineterminator="\r\n")
    writer.writerows(rows)
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _xlsx(table: Table, title: str, lang: str, filename: str) -> Response:
    return Response(
        xlsx.workbook(table, title, lang),
        mimetype=xlsx.MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _pdf(report: dict[str, Any], filename: str, period_kind: str | None = None) -> Response:
    return Response(
        pdf.document(report, period_kind),
        mimetype=pdf.MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _compiled(report_id: UUID) -> CompiledReport:
    """A compiled report in the caller's scope (404 for any other). Another service (role
    `service`, no partnership) may read compiled reports, and only these: notifications attaches
    them to the school's messages. Both routes that use this are GETs."""
    if principal().role is not Role.SERVICE:
        _require_reader()
    with _c().store() as store:
        report = store.compiled(report_id)
    if report is None:
        raise NotFound("No such report.")
    if principal().role is Role.SERVICE:
        return report
    if school_partnership(report.school_id) != report.partnership_id:
        raise NotFound("No such report.")
    return report


def _title(report: dict[str, Any]) -> str:
    """The download's title, naming the school or the partnership (by id until it is known)."""
    period = report["period"]
    name = labels.school(report) if report["kind"] == "school" else labels.partnership(report)
    return labels.title(report["kind"], name, period["start"], period["end"], report["language"])


def _school_filename(school_id: UUID, args: dict[str, Any], ext: str) -> str:
    return f"rapportage-{school_id}-{args['start']}-{args['end']}.{ext}"


def _partnership_filename(args: dict[str, Any], ext: str) -> str:
    return f"rapportage-samenwerkingsverband-{args['start']}-{args['end']}.{ext}"


@blp.route("/definitions.csv")
class DefinitionsCsv(MethodView):
    @blp.arguments(ReportArgsSchema(only=("lang",)), location="query")
    @blp.doc(responses=CSV_DOC)
    def get(self, args: dict[str, Any]) -> Response:
        """What each figure of the reports (and their CSV columns) counts, and what "<5" and "x"
        mean: the CSV downloads' companion, as the workbook's second sheet and the PDF's last
        section."""
        _require_reader()
        lang = args["lang"]
        header = [labels.explanation_header(k, lang) for k in ("figure", "meaning")]
        rows = [header, *map(list, labels.explanations(lang))]
        return _csv_response(rows, lang, f"toelichting-{lang}.csv")


@blp.route("/schools/<uuid:school_id>")
class SchoolReport(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, SchoolReportSchema)
    def get(self, args: dict[str, Any], school_id: UUID) -> dict[str, Any]:
        """A school's outcome report over a period, beside the partnership's average."""
        return _school_report(args, school_id)


@blp.route("/schools/<uuid:school_id>/export.csv")
class SchoolReportCsv(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=CSV_DOC)
    def get(self, args: dict[str, Any], school_id: UUID) -> Response:
        """The school's report as CSV: its row and the partnership's average row."""
        report = _school_report(args, school_id)
        name = _school_filename(school_id, args, "csv")
        return _csv(reports.school_table(report), args["lang"], name)


@blp.route("/schools/<uuid:school_id>/export.xlsx")
class SchoolReportXlsx(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=XLSX_DOC)
    def get(self, args: dict[str, Any], school_id: UUID) -> Response:
        """The school's report as an Excel workbook: its row and the partnership's average row."""
        report = _school_report(args, school_id)
        title = _title(report)
        name = _school_filename(school_id, args, "xlsx")
        return _xlsx(reports.school_table(report), title, args["lang"], name)


@blp.route("/schools/<uuid:school_id>/report.pdf")
class SchoolReportPdf(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=PDF_DOC)
    def get(self, args: dict[str, Any], school_id: UUID) -> Response:
        """The school's report as a PDF with charts, beside the partnership's average."""
        report = _school_report(args, school_id)
        return _pdf(report, _school_filename(school_id, args, "pdf"))


@blp.route("/partnership")
class PartnershipReport(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, PartnershipReportSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The partnership's outcome report: every school and the totals, small numbers
        suppressed."""
        return _partnership_report(args)


@blp.route("/partnership/export.csv")
class PartnershipReportCsv(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=CSV_DOC)
    def get(self, args: dict[str, Any]) -> Response:
        """The partnership's report as CSV: one row per school and the totals."""
        report = _partnership_report(args)
        name = _partnership_filename(args, "csv")
        return _csv(reports.partnership_table(report), args["lang"], name)


@blp.route("/partnership/export.xlsx")
class PartnershipReportXlsx(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=XLSX_DOC)
    def get(self, args: dict[str, Any]) -> Response:
        """The partnership's report as an Excel workbook: one row per school and the totals,
        small numbers suppressed ("<5")."""
        report = _partnership_report(args)
        title = _title(report)
        name = _partnership_filename(args, "xlsx")
        return _xlsx(reports.partnership_table(report), title, args["lang"], name)


@blp.route("/partnership/report.pdf")
class PartnershipReportPdf(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.doc(responses=PDF_DOC)
    def get(self, args: dict[str, Any]) -> Response:
        """The partnership's report as a PDF with charts: key figures per school and the totals,
        small numbers suppressed ("<5")."""
        return _pdf(_partnership_report(args), _partnership_filename(args, "pdf"))


@blp.route("/compiled/<uuid:report_id>")
class CompiledReportView(MethodView):
    @blp.response(200, CompiledReportSchema)
    def get(self, report_id: UUID) -> CompiledReport:
        """A periodic report as it was compiled: the link a `report.ready` message carries."""
        return _compiled(report_id)


@blp.route("/compiled/<uuid:report_id>/report.pdf")
class CompiledReportPdf(MethodView):
    # Only the language: the period is the compiled one.
    @blp.arguments(ReportArgsSchema(only=("lang",)), location="query")
    @blp.doc(responses=PDF_DOC)
    def get(self, args: dict[str, Any], report_id: UUID) -> Response:
        """A periodic report as compiled, as a PDF with charts (Dutch; `lang=en` for English)."""
        report = _compiled(report_id)
        name = f"rapportage-{report.school_id}-{report.period_start}-{report.period_end}.pdf"
        return _pdf({**report.body, "language": args["lang"]}, name, report.period_kind)
