"""The policies in force for a school, and a partnership's default policies."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from services.notifications.domain.policy import (
    LATER_DEFAULT_KEYS,
    Policy,
    built_in_policies,
    default_policies,
    effective_policies,
)
from services.notifications.service_layer.ports import PolicyStore


def policies_in_force(
    store: PolicyStore, partnership_id: UUID, school_id: UUID | None, key: str | None = None
) -> list[Policy]:
    """The policies in force for a school, with the built-in ones no one switches off (only
    those of `key` if given: a school's override replaces a partnership policy per key)."""
    built_in = [p for p in built_in_policies(partnership_id) if key is None or p.key == key]
    return effective_policies(store.policies(partnership_id, key), school_id) + built_in


def ensure_defaults(store: PolicyStore, partnership_id: UUID, now: datetime) -> None:
    """Give a partnership the default policies the first time it is seen, and later the
    defaults added since (LATER_DEFAULT_KEYS) that it lacks."""
    defaults = default_policies(partnership_id)
    if store.has_policies(partnership_id):
        have = store.policy_keys(partnership_id)
        defaults = [p for p in defaults if p.key in LATER_DEFAULT_KEYS and p.key not in have]
    if defaults:
        store.create_defaults(defaults, now)
        store.commit()
