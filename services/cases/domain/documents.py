"""Documents of a case (issue 14, DESIGN rule 11): what an upload must be, who sees it.

Pure: the file's type is judged from its first bytes (magic numbers), never from its name; a
name is only a label, never a path (a name with a path in it is refused); a PDF that carries
script or launch actions, or an office file with macros, is refused. Nothing here touches
storage or a database.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from shared.auth import Principal, Role
from shared.errors import AppError, RuleViolation

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 200


class DocumentTooLarge(AppError):
    """The file is larger than the service accepts (413)."""

    status = 413
    code = "file_too_large"


@dataclass(frozen=True)
class FileType:
    """A type we accept: its MIME type and the extensions a name may carry for it."""

    mime: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
    "PowerPoint",
)
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument-tekst")
ODS = FileType(
    "application/vnd.oasis.opendocument.spreadsheet", (".ods",), "OpenDocument-rekenblad"
)
ACCEPTED = (PDF, PNG, JPEG, DOCX, XLSX, PPTX, ODT, ODS)
ACCEPTED_LABELS = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument"

_OOXML = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_ODF = {ODT.mime: ODT, ODS.mime: ODS}
# PDF names that run something when the file is opened or carry another file inside it.
_PDF_ACTIVE = (
    b"/javascript",
    b"/js",
    b"/launch",
    b"/embeddedfile",
    b"/embeddedfiles",
    b"/richmedia",
    b"/xfa",
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_MAX_INFLATED = 50 * 1024 * 1024


def sniff(content: bytes) -> FileType | None:
    """The accepted type the bytes are, judged from their content alone; None for anything else
    (an executable, a script, HTML, an unknown or legacy format)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    return None


def _sniff_zip(content: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, ValueError, RuntimeError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def active_content(content: bytes, kind: FileType) -> str | None:
    """Why the file could run something when opened (script, launch action, embedded file,
    macros), or None when it cannot."""
    if kind is PDF:
        return _pdf_active(content)
    if kind.mime.startswith("application/vnd."):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [name.lower() for name in archive.namelist()]
        if any("vbaproject" in name or name.startswith("basic/") for name in names):
            return "The document contains macros."
    return None


def _pdf_active(content: bytes) -> str | None:
    """A PDF's names are searched in the raw bytes and in every stream that inflates (object
    streams hide dictionaries), with `#xx` escapes in names undone."""
    chunks = [content]
    budget = _MAX_INFLATED
    for match in _STREAM.finditer(content):
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        chunks.append(inflated)
        if budget <= 0:
            return "The PDF is too complex to check."
    for chunk in chunks:
        text = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk).lower()
        for name in _PDF_ACTIVE:
            if re.search(re.escape(name) + rb"(?![a-z])", text):
                return "The PDF contains JavaScript or actions that run when it is opened."
    return None


def clean_name(raw: str, kind: FileType) -> str:
    """The name shown and offered at download: the uploaded name, checked, with the extension
    of its real type added when the name claims another. A name that holds a path, control
    characters or nothing is refused."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    problem = None
    if not name:
        problem = "The file has no name."
    elif any(ch in name for ch in "/\\") or name in (".", "..") or name.startswith(".."):
        problem = "A file name cannot contain a path (/, \\ or ..)."
    elif any(unicodedata.category(ch).startswith("C") for ch in name):
        problem = "The file name contains control characters."
    elif len(name) > MAX_NAME_CHARS:
        problem = f"The file name is longer than {MAX_NAME_CHARS} characters."
    if problem:
        raise RuleViolation(problem, code="unsafe_file_name", errors={"file": [problem]})
    if not name.lower().endswith(kind.extensions):
        name = f"{name}{kind.extensions[0]}"
    return name


def check_upload(raw_name: str, content: bytes, max_bytes: int) -> tuple[FileType, str]:
    """Judge an upload: its type (from the content) and the name to keep, or the error that
    refuses it — empty, too large, an unsafe name, a type we do not take, active content."""
    if not content:
        message = "The file is empty."
        raise RuleViolation(message, code="empty_file", errors={"file": [message]})
    if len(content) > max_bytes:
        message = f"The file is larger than {readable_size(max_bytes)}; it may be at most that."
        raise DocumentTooLarge(message, errors={"file": [message]})
    kind = sniff(content)
    if kind is None:
        message = f"This kind of file is not accepted; accepted are {ACCEPTED_LABELS}."
        raise RuleViolation(message, code="unsupported_file_type", errors={"file": [message]})
    name = clean_name(raw_name, kind)
    reason = active_content(content, kind)
    if reason:
        raise RuleViolation(reason, code="active_content", errors={"file": [reason]})
    return kind, name


def readable_size(size: int) -> str:
    """1048576 -> "1 MB", 262144 -> "256 KB" (binary units, as file managers show them)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(size // 1024, 1)} KB"


def new_storage_key() -> str:
    """A random key: never derived from the user's file name."""
    return uuid4().hex


@dataclass
class Document:
    """A file attached to a case. The parents decide whether the partnership may see it:
    `shared_with_partnership` starts False, and `sharing_decided_at/by` record their answer."""

    case_id: UUID
    partnership_id: UUID
    school_id: UUID
    pupil_id: UUID
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str
    uploaded_at: datetime
    uploaded_by: UUID
    id: UUID = field(default_factory=uuid4)
    shared_with_partnership: bool = False
    sharing_decided_at: datetime | None = None
    sharing_decided_by: UUID | None = None

    def decide_sharing(self, shared: bool, by: UUID, at: datetime) -> None:
        """Record the parent's decision (AVG): the partnership may or may not see it."""
        self.shared_with_partnership = shared
        self.sharing_decided_at = at
        self.sharing_decided_by = by


PARTNERSHIP_READERS = (Role.CONSULTANT, Role.ADMIN)


def may_read(principal: Principal, doc: Document) -> bool:
    """Who sees a document: the school's coordinator and director; the pupil's own guardians;
    the partnership's consultants and administrators only what the parents shared. Teachers do
    not (the coordinator keeps the file; need to know)."""
    if principal.role is Role.GUARDIAN:
        return principal.sees_pupil(doc.partnership_id, doc.school_id, doc.pupil_id)
    if principal.role in (Role.COORDINATOR, Role.DIRECTOR):
        return principal.sees_school(doc.partnership_id, doc.school_id)
    if principal.role in PARTNERSHIP_READERS:
        return principal.partnership_id == doc.partnership_id and doc.shared_with_partnership
    return False


def may_write(principal: Principal, partnership_id: UUID, school_id: UUID) -> bool:
    """Who attaches and removes: the school's coordinator."""
    return principal.writes_pupil(partnership_id, school_id)
