"""Domain events of the cases service: small frozen records of ids, codes and dates.

They are defined once, in `shared.events.case_events` (its docstring says why there): the catalog
derives each payload schema from the same class the domain records. This module is the domain's
name for them (`events.CaseOpened`, `events.Event`, `events.ALL_EVENTS`).
"""

from __future__ import annotations

from shared.events.case_events import ALL_EVENTS, SUBJECT_FIELD, Event  # noqa: F401
from shared.events.case_events.cases import *  # noqa: F403
from shared.events.case_events.plans import *  # noqa: F403
from shared.events.case_events.profiles import *  # noqa: F403
from shared.events.case_events.referrals import *  # noqa: F403
from shared.events.case_events.schools import *  # noqa: F403
