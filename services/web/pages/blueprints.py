"""Every page blueprint, registered in one place. A blueprint's pages are added by the decorators
of its route modules, so each route module is imported here, before its blueprint is registered;
no package imports its own modules and no page imports another's package, so the pages import no
cycle (tests/unit/test_import_graph.py). A new route module is imported here (a test finds one
that is not)."""

# ruff: noqa: F401  (the route modules are imported for their decorators, which add the pages)
from __future__ import annotations

from flask import Blueprint, Flask

from services.web.pages import auth, reports, second_factor, staff_session
from services.web.pages.admin import accounts, home, imports, schools, settings, sops
from services.web.pages.admin import blueprint as admin
from services.web.pages.admin_messages import blueprint as admin_messages
from services.web.pages.admin_messages import deliveries, evaluations, policies, report_schedules
from services.web.pages.parents import application as parents_application
from services.web.pages.parents import blueprint as parents
from services.web.pages.parents import children, own_view, preferences, sign_in
from services.web.pages.partnership import applications, overview
from services.web.pages.partnership import blueprint as partnership
from services.web.pages.school import (
    application,
    cases,
    director,
    documents,
    interventions,
    law,
    plan_steps,
    plans,
    pupils,
    teacher,
)
from services.web.pages.school import blueprint as school

# In the order they were always registered in.
BLUEPRINTS: tuple[Blueprint, ...] = (
    staff_session.blp,  # logging in and out (with the second factor's steps)
    school.blp,
    partnership.blp,
    admin.blp,  # the administrator's pages under /beheer
    parents.blp,
    reports.blp,  # the page a report.ready message links to
    admin_messages.blp,  # policies, delivery log, report schedules
)


def register_blueprints(app: Flask) -> None:
    """Every page of the web front end on the app."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
