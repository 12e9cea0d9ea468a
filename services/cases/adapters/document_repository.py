"""The documents' rows (issue 14); their bytes are in the document store."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.cases.adapters import orm
from services.cases.domain.documents import Document


class SqlAlchemyDocuments:
    """Documents by id, by case and by pupil."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, doc: Document) -> None:
        self.session.add(doc)

    def get(self, document_id: UUID, *, for_update: bool = False) -> Document | None:
        query = select(Document).where(orm.documents_table.c.id == document_id)
        if for_update:
            query = query.with_for_update()
        return self.session.execute(query).scalar_one_or_none()

    def of_case(self, case_id: UUID) -> list[Document]:
        d = orm.documents_table.c
        query = (  # oldest first; same instant: by name
            select(Document)
            .where(d.case_id == case_id)
            .order_by(d.uploaded_at, func.lower(d.filename), d.id)
        )
        return list(self.session.execute(query).scalars())

    def of_cases(self, case_ids: Collection[UUID]) -> dict[UUID, list[Document]]:
        """Several cases' documents in one SELECT (a page of a list), each case's oldest first."""
        found: dict[UUID, list[Document]] = {case_id: [] for case_id in case_ids}
        if not found:
            return found
        d = orm.documents_table.c
        query = (
            select(Document)
            .where(d.case_id.in_(sorted(found)))
            .order_by(d.uploaded_at, func.lower(d.filename), d.id)
        )
        for doc in self.session.execute(query).scalars():
            found[doc.case_id].append(doc)
        return found

    def of_pupil(self, pupil_id: UUID) -> list[Document]:
        d = orm.documents_table.c
        query = select(Document).where(d.pupil_id == pupil_id).order_by(d.uploaded_at, d.id)
        return list(self.session.execute(query).scalars())

    def remove(self, doc: Document) -> None:
        self.session.delete(doc)
