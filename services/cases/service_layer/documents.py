"""Use cases of a case's documents (issue 14, DESIGN rule 11): attach, list, read, remove, and
the parents' decision to share one with the partnership.

The bytes go to a `DocumentStorage` (adapters/document_storage.py: a local folder or an S3
bucket). An upload is judged completely (domain/documents.py) before a byte is stored; the
object is written before its row is committed and removed again when the commit fails, and a
removed row's object is deleted after the commit, so a row never points at nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from services.cases.domain import events
from services.cases.domain.documents import (
    Document,
    check_upload,
    may_read,
    may_write,
    new_storage_key,
)
from services.cases.domain.model import Case, CaseStatus
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import Principal, Role
from shared.clock import local_today
from shared.errors import Forbidden, NotFound, ServiceUnavailable, StateConflict

log = logging.getLogger(__name__)


class DocumentStorage(Protocol):
    """Where the documents' bytes live, by a random key."""

    def put(self, key: str, content: bytes, content_type: str) -> None: ...
    def open(self, key: str) -> Iterator[bytes]: ...
    def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class AttachDocument:
    case_id: UUID
    filename: str
    content: bytes


def _visible_case(uow: AbstractUnitOfWork, case_id: UUID, actor: Principal) -> Case:
    case = uow.cases.get(case_id)
    if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    return case


def attach_document(
    cmd: AttachDocument,
    uow: AbstractUnitOfWork,
    storage: DocumentStorage,
    actor: Principal,
    max_bytes: int,
) -> UUID:
    """Attach a file to a case (the school's coordinator); refused uploads store nothing."""
    with uow:
        case = _visible_case(uow, cmd.case_id, actor)
        if not may_write(actor, case.partnership_id, case.school_id):
            raise Forbidden("Only the school's coordinator attaches documents.")
        if case.status == CaseStatus.CLOSED:
            raise StateConflict("The case is closed.", code="case_closed")
        kind, name = check_upload(cmd.filename, cmd.content, max_bytes)
        doc = Document(
            case_id=case.id,
            partnership_id=case.partnership_id,
            school_id=case.school_id,
            pupil_id=case.pupil_id,
            filename=name,
            content_type=kind.mime,
            size=len(cmd.content),
            sha256=hashlib.sha256(cmd.content).hexdigest(),
            storage_key=new_storage_key(),
            uploaded_at=uow.clock.now(),
            uploaded_by=actor.user_id,
        )
        storage.put(doc.storage_key, cmd.content, kind.mime)
        try:
            uow.documents.add(doc)
            uow.emit(
                events.DocumentAttached(
                    partnership_id=doc.partnership_id,
                    school_id=doc.school_id,
                    case_id=doc.case_id,
                    document_id=doc.id,
                    content_type=doc.content_type,
                    size=doc.size,
                    attached_on=local_today(uow.clock),
                )
            )
            uow.commit()
        except BaseException:
            storage.delete(doc.storage_key)
            raise
        return doc.id


def list_documents(uow: AbstractUnitOfWork, actor: Principal, case_id: UUID) -> list[Document]:
    """The case's documents the caller may see (a consultant: only those the parents shared)."""
    with uow:
        _visible_case(uow, case_id, actor)
        return [_copy(doc) for doc in uow.documents.of_case(case_id) if may_read(actor, doc)]


def get_document(uow: AbstractUnitOfWork, actor: Principal, document_id: UUID) -> Document:
    """One document the caller may see; 404 otherwise (never telling whether it exists)."""
    with uow:
        doc = uow.documents.get(document_id)
        if doc is None or not may_read(actor, doc):
            raise NotFound("No such document.")
        return _copy(doc)


def _copy(doc: Document) -> Document:
    """A copy that outlives the unit of work (leaving it expires the loaded rows)."""
    return dataclasses.replace(doc)


def open_document(
    uow: AbstractUnitOfWork, storage: DocumentStorage, actor: Principal, document_id: UUID
) -> tuple[Document, Iterator[bytes]]:
    """A document and its bytes, for a caller who may see it."""
    doc = get_document(uow, actor, document_id)
    try:
        return doc, storage.open(doc.storage_key)
    except LookupError:
        raise NotFound("The document's file is missing.", code="document_missing") from None


def remove_document(
    uow: AbstractUnitOfWork, storage: DocumentStorage, actor: Principal, document_id: UUID
) -> None:
    """Remove a document (the school's coordinator): its row, then its bytes."""
    with uow:
        doc = uow.documents.get(document_id, for_update=True)
        if doc is None or not may_read(actor, doc):
            raise NotFound("No such document.")
        if not may_write(actor, doc.partnership_id, doc.school_id):
            raise Forbidden("Only the school's coordinator removes documents.")
        key = doc.storage_key
        uow.emit(
            events.DocumentRemoved(
                partnership_id=doc.partnership_id,
                school_id=doc.school_id,
                case_id=doc.case_id,
                document_id=doc.id,
                removed_on=local_today(uow.clock),
            )
        )
        uow.documents.remove(doc)
        uow.commit()
    discard(storage, key)


def discard(storage: DocumentStorage, key: str) -> None:
    """Delete an object whose row is already gone; a store that does not answer leaves it
    behind unreferenced (never served again), which the log says by its key."""
    try:
        storage.delete(key)
    except (ServiceUnavailable, OSError):
        log.warning("document object left behind: %s", key)


def decide_sharing(
    uow: AbstractUnitOfWork, actor: Principal, document_id: UUID, shared: bool
) -> Document:
    """A parent decides whether the partnership may see this document of their own child."""
    with uow:
        doc = uow.documents.get(document_id, for_update=True)
        if doc is None or not may_read(actor, doc):
            raise NotFound("No such document.")
        if actor.role is not Role.GUARDIAN:
            raise Forbidden("Only the parents decide whether a document is shared.")
        doc.decide_sharing(shared, actor.user_id, uow.clock.now())
        uow.emit(
            events.DocumentSharingDecided(
                partnership_id=doc.partnership_id,
                school_id=doc.school_id,
                case_id=doc.case_id,
                document_id=doc.id,
                shared=shared,
                decided_on=local_today(uow.clock),
            )
        )
        uow.commit()
    return get_document(uow, actor, document_id)


def drop_pupil_documents(uow: AbstractUnitOfWork, pupil_id: UUID) -> list[str]:
    """Inside the retention's transaction: remove the pupil's document rows; returns the
    storage keys to delete once it commits."""
    keys = []
    for doc in uow.documents.of_pupil(pupil_id):
        keys.append(doc.storage_key)
        uow.documents.remove(doc)
    return keys
