"""Files for the document tests: real bytes of each accepted type, and hostile ones."""

from __future__ import annotations

import io
import zipfile
import zlib

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PDF_WITH_JAVASCRIPT = PDF.replace(
    b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert('x'))>>"
)
# The same action hidden twice over: a name written with #xx escapes, inside a compressed stream.
PDF_WITH_HIDDEN_JAVASCRIPT = (
    PDF[:-6]
    + b"4 0 obj<</Length 60/Filter/FlateDecode>>stream\n"
    + zlib.compress(b"<</S/J#61vaScript/JS(app.alert(1))>>")
    + b"endstream endobj\n%%EOF\n"
)


def office(kind: str = "word", macros: bool = False) -> bytes:
    """A minimal OOXML package (docx/xlsx) as Word or Excel write them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}/document.xml", "<document/>")
        if macros:
            archive.writestr(f"{kind}/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def upload(content: bytes, name: str) -> dict:
    """The `data` of a test client's multipart request with one file."""
    return {"file": (io.BytesIO(content), name)}
