"""The cases API's documents (issue 14) as the pages need them: rows, upload, a streamed
download, remove, and the parents' sharing decision."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any
from uuid import UUID

import requests

from services.web.clients.base import TIMEOUT, ApiClient, reach, refuse_unless_ok

UPLOAD_TIMEOUT = 60.0  # a 10 MB file to S3 behind the cases service


@dataclass(frozen=True)
class Document:
    id: UUID
    case_id: UUID
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime
    shared_with_partnership: bool
    sharing_decided_at: datetime | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Document:
        decided = row.get("sharing_decided_at")
        return cls(
            UUID(row["id"]),
            UUID(row["case_id"]),
            row["filename"],
            row["content_type"],
            int(row["size"]),
            datetime.fromisoformat(row["uploaded_at"]),
            bool(row["shared_with_partnership"]),
            datetime.fromisoformat(decided) if decided else None,
        )


@dataclass(frozen=True)
class Download:
    """A file on its way from the cases API: its headers and its bytes in chunks."""

    content_type: str
    disposition: str
    length: str | None
    chunks: Iterator[bytes]


class DocumentsClient:
    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def of_case(self, case_id: UUID) -> list[Document]:
        body = self.api.get(f"/api/v1/cases/{case_id}/documents", page_size=500)
        return [Document.of(row) for row in body["items"]]

    def attach(self, case_id: UUID, filename: str, stream: IO[bytes], mimetype: str) -> Document:
        """Send the file on to the cases API, which judges it (type, size, name)."""
        body = self._send(
            "POST",
            f"/api/v1/cases/{case_id}/documents",
            files={"file": (filename, stream, mimetype or "application/octet-stream")},
            timeout=UPLOAD_TIMEOUT,
        ).json()
        return Document.of(body)

    def remove(self, document_id: UUID) -> None:
        self._send("DELETE", f"/api/v1/documents/{document_id}")

    def share(self, document_id: UUID, shared: bool) -> Document:
        path = f"/api/v1/documents/{document_id}/sharing"
        return Document.of(self.api.request("PUT", path, json={"shared": shared}))

    def download(self, document_id: UUID) -> Download:
        """The file streamed through: never held whole in the web's memory."""
        response = self._send("GET", f"/api/v1/documents/{document_id}/content", stream=True)
        return Download(
            response.headers.get("Content-Type", "application/octet-stream"),
            response.headers.get("Content-Disposition", "attachment"),
            response.headers.get("Content-Length"),
            _chunks(response),
        )

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        headers = {"Authorization": f"Bearer {self.api.token}"}
        url = f"{self.api.base_url}{path}"
        send = self.api.http.request
        return refuse_unless_ok(
            reach(method, path, lambda: send(method, url, headers=headers, **kwargs))
        )


def _chunks(response: requests.Response) -> Iterator[bytes]:
    try:
        yield from response.iter_content(64 * 1024)
    finally:
        response.close()
