"""Use cases of the cases service, by feature. Each checks the caller's scope, changes one
aggregate through its methods, and commits; the unit of work writes the recorded events to the
outbox. Callers use `handlers.<use case>`; every one is re-exported here."""

from __future__ import annotations

from services.cases.service_layer.handlers.accounts import (
    LogInResult,
    authenticate,
    create_partnership,
    create_school,
    create_user,
    disable_second_factor,
    enrol_second_factor,
    log_in,
    principal_of,
    set_user_active,
    update_partnership_settings,
)
from services.cases.service_layer.handlers.cases import (
    close_case,
    evaluate_intervention,
    open_case,
    start_intervention,
)
from services.cases.service_layer.handlers.plans import (
    cancel_meeting,
    change_action_plan,
    consent_needed,
    create_development_plan,
    evaluate_plan,
    plan_meeting,
    record_admission_statement,
    record_consent,
    record_consultation,
    record_pupil_view,
    request_consent,
    reschedule_evaluation,
    schedule_evaluation,
)
from services.cases.service_layer.handlers.pupils import (
    publish_support_profile,
    record_leaving,
    register_pupil,
    revoke_guardian_links,
)

__all__ = [
    "LogInResult",
    "authenticate",
    "cancel_meeting",
    "change_action_plan",
    "close_case",
    "consent_needed",
    "create_development_plan",
    "create_partnership",
    "create_school",
    "create_user",
    "disable_second_factor",
    "enrol_second_factor",
    "evaluate_intervention",
    "evaluate_plan",
    "log_in",
    "open_case",
    "plan_meeting",
    "principal_of",
    "publish_support_profile",
    "record_admission_statement",
    "record_consent",
    "record_consultation",
    "record_leaving",
    "record_pupil_view",
    "register_pupil",
    "request_consent",
    "reschedule_evaluation",
    "revoke_guardian_links",
    "schedule_evaluation",
    "set_user_active",
    "start_intervention",
    "update_partnership_settings",
]
