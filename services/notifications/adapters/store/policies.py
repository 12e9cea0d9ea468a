"""The administrators' policies: one row per (partnership, scope, key), its rules as JSON and its
group channels' URLs encrypted."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.notifications.adapters import orm
from services.notifications.adapters.store.base import StoreBase
from services.notifications.domain.policy import Policy

_SPEC_EXCLUDE = {"id", "partnership_id", "school_id", "key", "name", "enabled", "group_urls"}


_OF_KEY = (
    select(orm.policies)
    .where(
        orm.policies.c.partnership_id == bindparam("partnership_id"),
        orm.policies.c.key == bindparam("key"),
    )
    .order_by(orm.policies.c.key)
)


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


class SqlPolicies(StoreBase):
    def policies(self, partnership_id: UUID, key: str | None = None) -> list[Policy]:
        """A partnership's policies (with its schools' overrides); only those of `key` if given
        (a delivery needs its own policy, not every policy's texts decrypted)."""
        if key is not None:  # every delivery asks this one: straight on the cursor
            found = self.direct(_OF_KEY).all(
                self.session, {"partnership_id": partnership_id, "key": key}
            )
            return [self._policy(row) for row in found]
        rows = self.session.execute(
            select(orm.policies)
            .where(orm.policies.c.partnership_id == partnership_id)
            .order_by(orm.policies.c.key)
        )
        return [self._policy(row) for row in rows.mappings()]

    def policy(self, policy_id: UUID) -> Policy | None:
        row = (
            self.session.execute(select(orm.policies).where(orm.policies.c.id == policy_id))
            .mappings()
            .first()
        )
        return self._policy(row) if row else None

    def _policy(self, row: Mapping[Any, Any]) -> Policy:
        spec = dict(row["spec"])
        spec["quiet_start"] = _time(spec.get("quiet_start"))
        spec["quiet_end"] = _time(spec.get("quiet_end"))
        urls = json.loads(self.cipher.decrypt(row["group_urls"]))
        return Policy(
            id=row["id"],
            partnership_id=row["partnership_id"],
            school_id=row["school_id"],
            key=row["key"],
            name=row["name"],
            enabled=row["enabled"],
            group_urls=urls,
            **spec,
        )

    def save_policy(self, policy: Policy, now: datetime) -> None:
        spec = {k: v for k, v in dataclasses.asdict(policy).items() if k not in _SPEC_EXCLUDE}
        spec["quiet_start"] = policy.quiet_start.isoformat() if policy.quiet_start else None
        spec["quiet_end"] = policy.quiet_end.isoformat() if policy.quiet_end else None
        values = {
            "partnership_id": policy.partnership_id,
            "school_id": policy.school_id,
            "scope": str(policy.school_id) if policy.school_id else "*",
            "key": policy.key,
            "name": policy.name,
            "enabled": policy.enabled,
            "spec": spec,
            "group_urls": self.cipher.encrypt(json.dumps(policy.group_urls)),
            "updated_at": now,
        }
        exists = self.session.execute(
            select(orm.policies.c.id).where(orm.policies.c.id == policy.id)
        ).first()
        if exists:
            self.session.execute(
                update(orm.policies).where(orm.policies.c.id == policy.id).values(**values)
            )
        else:
            self.session.execute(insert(orm.policies).values(id=policy.id, **values))

    def create_defaults(self, policies: list[Policy], now: datetime) -> bool:
        """Insert a partnership's default policies unless another process just did."""
        try:
            with self.session.begin_nested():
                for policy in policies:
                    self.save_policy(policy, now)
        except IntegrityError:
            return False
        return True

    def key_taken(self, policy: Policy) -> bool:
        school = (
            orm.policies.c.school_id.is_(None)
            if policy.school_id is None
            else orm.policies.c.school_id == policy.school_id
        )
        query = select(orm.policies.c.id).where(
            orm.policies.c.partnership_id == policy.partnership_id,
            orm.policies.c.key == policy.key,
            school,
            orm.policies.c.id != policy.id,
        )
        return self.session.execute(query).first() is not None

    def policy_keys(self, partnership_id: UUID) -> set[str]:
        """The keys of a partnership's partnership-wide policies."""
        query = select(orm.policies.c.key).where(
            orm.policies.c.partnership_id == partnership_id, orm.policies.c.school_id.is_(None)
        )
        return set(self.session.execute(query).scalars())

    def has_policies(self, partnership_id: UUID) -> bool:
        return (
            self.session.execute(
                select(orm.policies.c.id)
                .where(orm.policies.c.partnership_id == partnership_id)
                .limit(1)
            ).first()
            is not None
        )
