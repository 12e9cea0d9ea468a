"""Persistence of the notifications service: policies, processed events, planned notifications
and their delivery attempts, guardians' preferences and holidays, one module per concern (each
implements its Protocol of service_layer.ports). One Store is one transaction."""

from __future__ import annotations

from services.notifications.adapters.store.delivery import SqlDelivery
from services.notifications.adapters.store.events import SqlProcessedEvents
from services.notifications.adapters.store.guardians import SqlHolidays, SqlPreferences
from services.notifications.adapters.store.log import SqlDeliveryLog
from services.notifications.adapters.store.planning import SqlPlanning
from services.notifications.adapters.store.policies import SqlPolicies


class Store(
    SqlProcessedEvents,
    SqlPolicies,
    SqlPlanning,
    SqlDelivery,
    SqlDeliveryLog,
    SqlPreferences,
    SqlHolidays,
):
    """Reads and writes of one transaction (service_layer.ports.NotificationStore)."""


__all__ = ["Store"]
