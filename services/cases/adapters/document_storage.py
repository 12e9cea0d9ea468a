"""Where the documents' bytes live (issue 14): the local filesystem by default, S3-compatible
object storage in production. Both implement `service_layer.documents.DocumentStorage`; the
same tests run against both (tests/integration/cases/test_documents.py).

Keys are random hex strings made by the domain (never the user's file name), so a key is safe
as a file name and an object name; both back ends refuse any other key.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from shared.errors import ServiceUnavailable

KEY = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 64 * 1024


class MissingObject(LookupError):
    """No object under this key."""


def _checked(key: str) -> str:
    if not KEY.match(key):
        raise ValueError("A storage key is 32 hex characters.")
    return key


class LocalFileStorage:
    """Files under a folder (the service's data folder by default): `<root>/<k[:2]>/<key>`,
    written to a temporary file first and renamed, so a reader never sees half a file."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def put(self, key: str, content: bytes, content_type: str) -> None:
        """Store the bytes under the key."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> Iterator[bytes]:
        """The bytes in chunks (MissingObject when there is none)."""
        path = self._path(key)
        try:
            handle = path.open("rb")
        except FileNotFoundError as err:
            raise MissingObject(key) from err

        def chunks() -> Iterator[bytes]:
            with handle:
                while block := handle.read(CHUNK):
                    yield block

        return chunks()

    def delete(self, key: str) -> None:
        """Remove the object; a missing one is fine (idempotent)."""
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self) -> list[str]:
        """Every key stored (for tests and a sweep)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.glob("*/*") if KEY.match(p.name))


class S3Storage:
    """An S3-compatible bucket (SeaweedFS, MinIO, AWS S3, ...) through the `minio` client."""

    def __init__(
        self, endpoint: str, bucket: str, access_key: str, secret_key: str, region: str = ""
    ) -> None:
        from minio import Minio  # imported here: only processes configured for S3 need it

        parts = urlsplit(endpoint if "://" in endpoint else f"http://{endpoint}")
        self.bucket = bucket
        self.client = Minio(
            parts.netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=parts.scheme == "https",
            region=region or None,
        )
        self._bucket_ready = False

    def _errors(self) -> tuple[type[BaseException], ...]:
        from minio.error import MinioException
        from urllib3.exceptions import HTTPError

        return (MinioException, HTTPError, OSError)

    def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (the first write does this once)."""
        if not self._bucket_ready:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)
            self._bucket_ready = True

    def put(self, key: str, content: bytes, content_type: str) -> None:
        try:
            self.ensure_bucket()
            self.client.put_object(
                self.bucket, _checked(key), io.BytesIO(content), len(content), content_type
            )
        except self._errors() as err:
            raise ServiceUnavailable("The document store does not answer.") from err

    def open(self, key: str) -> Iterator[bytes]:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, _checked(key))
        except S3Error as err:
            if err.code in ("NoSuchKey", "NoSuchBucket"):
                raise MissingObject(key) from err
            raise ServiceUnavailable("The document store does not answer.") from err
        except self._errors() as err:
            raise ServiceUnavailable("The document store does not answer.") from err

        def chunks() -> Iterator[bytes]:
            try:
                yield from response.stream(CHUNK)
            finally:
                response.close()
                response.release_conn()

        return chunks()

    def delete(self, key: str) -> None:
        try:
            self.client.remove_object(self.bucket, _checked(key))
        except self._errors() as err:
            raise ServiceUnavailable("The document store does not answer.") from err

    def exists(self, key: str) -> bool:
        from minio.error import S3Error

        try:
            self.client.stat_object(self.bucket, _checked(key))
        except S3Error as err:
            if err.code in ("NoSuchKey", "NoSuchBucket", "NotFound"):
                return False
            raise
        return True

    def keys(self) -> list[str]:
        """Every key stored (for tests and a sweep)."""
        if not self.client.bucket_exists(self.bucket):
            return []
        return sorted(obj.object_name for obj in self.client.list_objects(self.bucket))
