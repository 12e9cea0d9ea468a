"""Guardians' own choices (set through the signed link in every message) and the school
holidays that defer messages."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, select

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import StoreBase
from services.notifications.domain import channel_choice
from services.notifications.domain.notification import GuardianPreferences
from services.notifications.domain.timing import Holiday, HolidayCalendar


class SqlPreferences(StoreBase):
    def preferences(self, guardian_id: UUID) -> GuardianPreferences | None:
        row = (
            self.session.execute(
                select(orm.guardian_preferences).where(
                    orm.guardian_preferences.c.guardian_id == guardian_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        chosen = channel_choice.from_text(row["channels"])
        return GuardianPreferences(
            guardian_id=row["guardian_id"],
            partnership_id=row["partnership_id"],
            language=row["language"],
            informational=row["informational"],
            updated_at=row["updated_at"],
            channels=list(chosen) if chosen else None,
        )

    def save_preferences(
        self,
        guardian_id: UUID,
        partnership_id: UUID,
        language: str | None,
        informational: bool,
        now: datetime,
        channels: Collection[str] | None = None,
    ) -> None:
        """Replace a guardian's settings; `channels` None leaves the channel to the policies."""
        self.session.execute(
            delete(orm.guardian_preferences).where(
                orm.guardian_preferences.c.guardian_id == guardian_id
            )
        )
        self.session.execute(
            insert(orm.guardian_preferences).values(
                guardian_id=guardian_id,
                partnership_id=partnership_id,
                language=language,
                informational=informational,
                updated_at=now,
                channels=channel_choice.to_text(channels),
            )
        )


class SqlHolidays(StoreBase):
    def calendar(self) -> HolidayCalendar:
        rows = self.session.execute(select(orm.holidays)).mappings()
        return HolidayCalendar(
            [Holiday(r["region"], r["name"], r["start"], r["end"]) for r in rows]
        )

    def holiday_school_years(self) -> set[str]:
        """The school years whose holidays are loaded."""
        query = select(orm.holidays.c.school_year).distinct()
        return set(self.session.execute(query).scalars())

    def replace_holidays(self, school_year: str, holidays: list[Holiday]) -> None:
        self.session.execute(delete(orm.holidays).where(orm.holidays.c.school_year == school_year))
        for h in holidays:
            self.session.execute(
                insert(orm.holidays).values(
                    region=h.region, name=h.name, start=h.start, end=h.end, school_year=school_year
                )
            )
