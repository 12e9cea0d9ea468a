"""The cross-tenant leak matrix of the notifications and reports services (issue 5).

Two partnerships with two schools each, staff of every role (administrator, consultant, director,
coordinator, teacher; a second school's coordinator) and a family in each partnership whose
guardian has an account. Cases run in every school, so both services hold every tenant's data:
policies, planned, sent and dead notifications, guardian preference links, read-model facts and
compiled reports. Then every endpoint of both apps (enumerated from their URL maps, so a new one
cannot be forgotten) is tried by every role against the other partnership's objects, and by
school-bound roles against the other school of their own partnership:

- an object named in the path (a policy, a notification, a school, a compiled report) answers
  403 or 404 and writes nothing;
- a list or report of the caller's own tenant, also with the other tenant's ids as filters,
  answers 200 or 403 and never shows the other tenant's ids or addresses (CSV, XLSX and PDF
  bodies are unpacked before they are searched);
- a preference link only ever opens its own guardian's settings: a tampered, foreign or bearer
  token in its place answers 404.

A leak is a 2xx where none may be, or a body with the other tenant's ids or addresses; the test
prints "N attempts, 0 leaks". That the attempts are meaningful is checked by the same calls on
the caller's own tenant: the roles the access model allows get 2xx, the others 403 or 404.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from services.notifications.adapters import orm as notifications_orm
from services.notifications.app import create_app as notifications_app
from services.notifications.service_layer import handlers as notifications_handlers
from services.reports.__main__ import consumer as reports_consumer
from services.reports.adapters import orm as reports_orm
from services.reports.app import create_app as reports_app
from services.reports.service_layer import periodic
from shared.signing import sign
from tests.integration.notifications.conftest import (  # noqa: F401  (fixtures)
    cases_server,
    mail_server,
    notifications,
    notifications_databases,
    notifications_settings,
    pipeline,
)
from tests.integration.reports.conftest import reports, reports_databases  # noqa: F401
from tests.support.api_flows import open_case, start_intervention
from tests.support.cases_server import AppServer
from tests.support.world import PASSWORD, World


@pytest.fixture
def minted_tokens() -> bool:
    return False  # the world's real accounts: reports asks the cases service about each


SIDES = ("a", "b")
# The callers of each side: role -> the world's key of the person.
CALLERS = {
    side: {
        "admin": f"admin_{side}",
        "consultant": f"consultant_{side}",
        "director": f"director_{side}1",
        "coordinator": f"coordinator_{side}1",
        "teacher": f"teacher_{side}1",
        "coordinator2": f"coordinator_{side}2",
        "guardian": "guardian_a1" if side == "a" else "guardian_b2",
    }
    for side in SIDES
}
SCHOOL_BOUND = {"director", "coordinator", "teacher", "coordinator2"}
LEADERS = {"director", "coordinator", "coordinator2"}
PARTNERSHIP = {"admin", "consultant"}
ADMIN = {"admin"}
PERIOD = "start=2026-08-01&end=2027-07-31"


# -- the world: world.py's, completed to two schools and every role on both sides ----------------


def _token(client: FlaskClient, email: str) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def complete_world(container: Any, world: World) -> None:
    """Add school B2, partnership B's other roles and a family with a guardian account in B2."""
    with container.uow() as uow:
        admin_b = h.principal_of(uow.repo.user(world.users["admin_b"]), uow)  # type: ignore[arg-type]
    world.school_b2 = h.create_school(  # type: ignore[attr-defined]
        c.CreateSchool(world.partnership_b, "School B2", "zuid"), container.uow(), admin_b
    )
    for key, role, school in (
        ("teacher_b1", "teacher", world.school_b1),
        ("director_b1", "director", world.school_b1),
        ("consultant_b", "consultant", None),
        ("coordinator_b2", "coordinator", world.school_b2),  # type: ignore[attr-defined]
        ("guardian_b2", "guardian", None),
    ):
        world.users[key] = h.create_user(
            c.CreateUser(
                role=role, email=f"{key}@test.nl", name=key, password=PASSWORD, school_id=school
            ),
            container.uow(),
            admin_b,
        )
        world.tokens[key] = _token(world.client, f"{key}@test.nl")
    response = world.call(
        "coordinator_b2",
        "POST",
        "/api/v1/pupils",
        json={
            "school_id": str(world.school_b2),  # type: ignore[attr-defined]
            "given_name": "Kind b2",
            "family_name": "Test",
            "date_of_birth": "2017-03-01",
            "group": "groep 4",
            "enrolled_on": "2021-08-23",
            "guardians": [{"name": "Ouder b2", "email": "guardian_b2@test.nl"}],
        },
    )
    assert response.status_code == 201, response.json
    world.pupils["b2"] = UUID(response.json["id"])
    world.guardians["b2"] = UUID(response.json["guardians"][0]["id"])
    world.tokens["guardian_b2"] = _token(world.client, "guardian_b2@test.nl")  # now linked


# -- what each school holds in the two services ---------------------------------------------------


@dataclass
class School:
    """One school's objects in the notifications and reports services, and what identifies them."""

    side: str
    partnership: UUID
    id: UUID
    pupil: str
    case: str = ""
    guardian: str = ""
    policy: UUID | None = None
    policy_key: str = ""
    sent: UUID | None = None
    dead: UUID | None = None
    compiled: UUID | None = None
    link: str = ""
    ids: set[str] = field(default_factory=set)  # ids and addresses nobody else may see


@dataclass
class Matrix:
    world: World
    schools: dict[str, School]  # "a1", "a2", "b1", "b2"
    notifications: Any
    reports: Any
    apps: dict[str, Flask]
    clients: dict[str, FlaskClient]

    def side(self, side: str) -> list[School]:
        return [s for k, s in self.schools.items() if k.startswith(side)]

    def tenant_ids(self, side: str) -> set[str]:
        ids = {str(self.world.partnership_a if side == "a" else self.world.partnership_b)}
        for school in self.side(side):
            ids |= school.ids
        for key, user in self.world.users.items():
            if key.endswith(f"_{side}") or re.search(rf"_{side}\d$", key):
                ids |= {str(user), f"{key}@test.nl"}
        with self.notifications.store() as store:
            partnership = self.world.partnership_a if side == "a" else self.world.partnership_b
            ids |= {str(p.id) for p in store.policies(partnership)}
        return ids

    def school_ids(self, school: School) -> set[str]:
        """What only a school's own staff (and the partnership's) may see."""
        ids = set(school.ids)
        suffix = school.pupil  # "a1" -> staff keys ending in _a1
        for key, user in self.world.users.items():
            if key.endswith(f"_{suffix}") and not key.startswith("guardian"):
                ids |= {str(user), f"{key}@test.nl"}
        return ids


SCHOOLS = {"a1": "school_a1", "a2": "school_a2", "b1": "school_b1", "b2": "school_b2"}
COORDINATORS = {"a1": "coordinator_a1", "a2": "coordinator_a2", "b1": "coordinator_b1"}
COORDINATORS["b2"] = "coordinator_b2"


def _rows(engine: Any, table: Any, **where: Any) -> list[dict[str, Any]]:
    query = select(table)
    for column, value in where.items():
        query = query.where(getattr(table.c, column) == value)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


@pytest.fixture
def matrix(
    container,
    world,
    notifications,  # noqa: F811
    reports,  # noqa: F811
    pipeline,  # noqa: F811
    mail_server,  # noqa: F811
) -> Iterator[Matrix]:
    complete_world(container, world)
    schools: dict[str, School] = {}
    for key, attr in SCHOOLS.items():
        side = key[0]
        partnership = world.partnership_a if side == "a" else world.partnership_b
        schools[key] = School(side, partnership, getattr(world, attr), key)
        case = open_case(world, key, COORDINATORS[key])
        start_intervention(world, case["id"], COORDINATORS[key])
        schools[key].case, schools[key].guardian = case["id"], str(world.guardians[key])
        schools[key].ids |= {
            str(getattr(world, attr)),
            case["id"],
            str(world.pupils[key]),
            str(world.guardians[key]),
        }
    pipeline.run()  # relay, and the notifications consumer plans
    live = reports_consumer(reports, claim_idle_ms=0, block_ms=10, batch=200)
    live.ensure_group()
    while live.run_once():
        pass
    n = notifications
    due = notifications_handlers.due_for_dispatch(n.store, n.clock.now(), 500, 300)
    for notification_id in due:
        notifications_handlers.deliver(notification_id, n.store, n.sender, n.rules, n.clock.now)
    today = n.clock.now().date()
    periodic.compile_due(reports.store, reports.reader, ("month",), today, n.clock.now())

    for key, school in schools.items():
        rows = _rows(n.engine, notifications_orm.planned_notifications, school_id=school.id)
        sent = [r for r in rows if r["status"] == "sent"]
        planned = [r for r in rows if r["status"] == "planned"]
        assert sent and planned, key
        school.sent, school.dead = sent[0]["id"], planned[0]["id"]
        with n.store() as store:  # one dead notification per school, for the retry endpoint
            store.finish(school.dead, "dead", n.clock.now(), "unreachable")
            store.commit()
        school.ids |= {str(r["id"]) for r in rows}
        school.ids |= {r["address"] for r in rows if r["recipient_kind"] == "guardian"}
        [compiled] = _rows(reports.engine, reports_orm.compiled_reports, school_id=school.id)
        school.compiled = compiled["report_id"]
        school.ids.add(str(school.compiled))
        token = notifications_handlers.preferences_link(  # messages link the web's page
            n.rules, str(world.guardians[key]), school.partnership, n.clock.now()
        ).rsplit("/", 1)[-1]
        school.link = f"/api/v1/preferences/{token}"  # the API's path of the same token
        school.ids.add(school.link.rsplit("/", 1)[-1])
    for side in SIDES:
        partnership = world.partnership_a if side == "a" else world.partnership_b
        with n.store() as store:
            policies = store.policies(partnership)
        for school in (s for k, s in schools.items() if k.startswith(side)):
            school.policy, school.policy_key = policies[0].id, policies[0].key
    # Notifications asks the reports API over HTTP (report attachments), as in production.
    reports_server = AppServer(reports_app(container=reports)).start()
    settings = dataclasses.replace(n.settings, reports_api_url=reports_server.url)
    apps = {
        "notifications": notifications_app(container=dataclasses.replace(n, settings=settings)),
        "reports": reports_app(container=reports),
    }
    clients = {name: app.test_client() for name, app in apps.items()}
    yield Matrix(world, schools, notifications, reports, apps, clients)
    reports_server.stop()


# -- every endpoint: how it is tried, and who may use it -------------------------------------------

Request = tuple[str, dict[str, Any] | None]  # (path with query, JSON body)


@dataclass(frozen=True)
class Endpoint:
    """How to aim one endpoint at a school's objects. `kind`: 'object' (the path names the target:
    403/404 expected from outsiders) or 'own' (acts on the caller's own tenant; the target's ids
    go in as filters: 200/403 expected, with none of them in the answer). `allowed`: the roles
    that get a 2xx on their own tenant."""

    service: str
    kind: str
    allowed: frozenset[str]
    build: Callable[[School], list[Request]]


def _policy_body(key: str) -> dict[str, Any]:
    return {
        "key": key,
        "name": "Proef",
        "event_types": ["intervention.started"],
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
    }


def _report(path: str) -> Callable[[School], list[Request]]:
    return lambda s: [(path.format(s=s) + f"?{PERIOD}", None)]


N, R = "notifications", "reports"
LEADERS_AND_PARTNERSHIP = frozenset(PARTNERSHIP | LEADERS)
ENDPOINTS: dict[tuple[str, str, str], Endpoint] = {
    # notifications
    (N, "policies.Policies", "GET"): Endpoint(N, "own", frozenset(ADMIN), lambda s: [("", None)]),
    (N, "policies.Policies", "POST"): Endpoint(
        N, "own", frozenset(ADMIN), lambda s: [("", _policy_body(f"p{uuid.uuid4().hex[:8]}"))]
    ),
    (N, "policies.MissingHolidays", "GET"): Endpoint(
        N, "own", frozenset(ADMIN), lambda s: [("holidays", None)]
    ),
    (N, "policies.PolicyView", "GET"): Endpoint(
        N, "object", frozenset(ADMIN), lambda s: [(f"{s.policy}", None)]
    ),
    (N, "policies.PolicyView", "PUT"): Endpoint(
        N, "object", frozenset(ADMIN), lambda s: [(f"{s.policy}", _policy_body(s.policy_key))]
    ),
    (N, "policies.PolicyView", "PATCH"): Endpoint(
        N, "object", frozenset(ADMIN), lambda s: [(f"{s.policy}", {"enabled": True})]
    ),
    (N, "policies.Preview", "GET"): Endpoint(
        N,
        "object",
        frozenset(ADMIN),
        lambda s: [
            (f"{s.policy}/preview?days=60", None),
            (f"{s.policy}/preview?simulate=true&days=60", None),
        ],
    ),
    # A draft simulated against the caller's own tenant's dates; saves nothing.
    (N, "policies.PolicySimulation", "POST"): Endpoint(
        N,
        "own",
        frozenset(ADMIN),
        lambda s: [("preview", {**_policy_body("proef"), "lead_times_days": [7, 0]})],
    ),
    (N, "deliveries.Deliveries", "GET"): Endpoint(
        N,
        "own",
        frozenset({"admin", "director", "coordinator", "coordinator2"}),
        lambda s: [
            ("?page_size=500", None),
            (f"?school_id={s.id}", None),
            (f"?recipient_id={s.guardian}", None),
            (f"?case_id={s.case}", None),
        ],
    ),
    (N, "deliveries.DeliveryView", "GET"): Endpoint(
        N,
        "object",
        frozenset({"admin", "director", "coordinator", "coordinator2"}),
        lambda s: [(f"{s.sent}", None), (f"{s.dead}", None)],
    ),
    (N, "deliveries.Retry", "POST"): Endpoint(
        N,
        "object",
        frozenset({"admin", "director", "coordinator", "coordinator2"}),
        lambda s: [(f"{s.dead}/retry", None)],
    ),
    # reports
    (R, "reports.SchoolReport", "GET"): Endpoint(
        R, "object", LEADERS_AND_PARTNERSHIP, _report("/api/v1/reports/schools/{s.id}")
    ),
    (R, "reports.SchoolReportCsv", "GET"): Endpoint(
        R, "object", LEADERS_AND_PARTNERSHIP, _report("/api/v1/reports/schools/{s.id}/export.csv")
    ),
    (R, "reports.SchoolReportXlsx", "GET"): Endpoint(
        R, "object", LEADERS_AND_PARTNERSHIP, _report("/api/v1/reports/schools/{s.id}/export.xlsx")
    ),
    (R, "reports.SchoolReportPdf", "GET"): Endpoint(
        R, "object", LEADERS_AND_PARTNERSHIP, _report("/api/v1/reports/schools/{s.id}/report.pdf")
    ),
    (R, "reports.PartnershipReport", "GET"): Endpoint(
        R, "own", frozenset(PARTNERSHIP), _report("/api/v1/reports/partnership")
    ),
    (R, "reports.PartnershipReportCsv", "GET"): Endpoint(
        R, "own", frozenset(PARTNERSHIP), _report("/api/v1/reports/partnership/export.csv")
    ),
    (R, "reports.PartnershipReportXlsx", "GET"): Endpoint(
        R, "own", frozenset(PARTNERSHIP), _report("/api/v1/reports/partnership/export.xlsx")
    ),
    (R, "reports.PartnershipReportPdf", "GET"): Endpoint(
        R, "own", frozenset(PARTNERSHIP), _report("/api/v1/reports/partnership/report.pdf")
    ),
    (R, "reports.CompiledReportView", "GET"): Endpoint(
        R,
        "object",
        LEADERS_AND_PARTNERSHIP,
        lambda s: [(f"/api/v1/reports/compiled/{s.compiled}", None)],
    ),
    (R, "reports.CompiledReportPdf", "GET"): Endpoint(
        R,
        "object",
        LEADERS_AND_PARTNERSHIP,
        lambda s: [(f"/api/v1/reports/compiled/{s.compiled}/report.pdf", None)],
    ),
    (R, "schedules.Schedules", "GET"): Endpoint(
        R, "own", LEADERS_AND_PARTNERSHIP, lambda s: [("/api/v1/reports/schedules", None)]
    ),
    (R, "schedules.PartnershipSchedule", "PUT"): Endpoint(
        R,
        "own",
        frozenset(ADMIN),
        lambda s: [("/api/v1/reports/schedules/partnership", {"kinds": ["month"]})],
    ),
    (R, "schedules.SchoolSchedule", "PUT"): Endpoint(
        R,
        "object",
        frozenset(ADMIN | LEADERS),
        lambda s: [(f"/api/v1/reports/schedules/schools/{s.id}", {"kinds": ["quarter"]})],
    ),
    (R, "schedules.SchoolSchedule", "DELETE"): Endpoint(
        R,
        "object",
        frozenset(ADMIN | LEADERS),
        lambda s: [(f"/api/v1/reports/schedules/schools/{s.id}", None)],
    ),
}
# Notifications paths are relative to their blueprint's prefix.
PREFIX = {
    "policies": "/api/v1/policies/",
    "deliveries": "/api/v1/deliveries/",
}
# Endpoints with no tenant data behind them, never tried with tokens, each with its reason.
PUBLIC = {
    "static": "Flask's static folder: the services ship no static files",
    "api-docs.openapi_json": "the OpenAPI description (DESIGN.md §5): endpoints, no data",
    "api_docs.page": "the interactive API documentation page",
    "api_docs.init": "the docs page's start script",
    "api_docs.asset": "Swagger UI's files from the installed package",
    "_health": "liveness: no data",
    "_ready": "readiness of the database and Redis: no data",
    "_metrics": "Prometheus process metrics; no tenant labels (checked below)",
    # The console's old addresses in messages already sent: a redirect to the web front end,
    # built from the path alone (test_old_console_links.py); the web page checks the link.
    "old_links.preferences": "an old preference link: redirected as typed, nothing read",
    "old_links.console": "any other old console address: redirected, nothing read",
    "reports.DefinitionsCsv": "what each figure means: fixed text, the same for every tenant",
}
# The guardian's preference link carries its own signed token; tried separately below.
LINKS = {
    (N, "preferences.Preferences", "GET"),
    (N, "preferences.Preferences", "PUT"),
    (N, "preferences.Unsubscribe", "GET"),
    (N, "preferences.Unsubscribe", "POST"),
}


def _path(key: tuple[str, str, str], relative: str) -> str:
    service, endpoint, _ = key
    if service == N:
        return PREFIX[endpoint.split(".")[0]] + relative
    return relative


def registered(apps: dict[str, Flask]) -> set[tuple[str, str, str]]:
    """(service, endpoint, method) of every route of both apps."""
    out = set()
    for name, app in apps.items():
        for rule in app.url_map.iter_rules():
            for method in rule.methods - {"HEAD", "OPTIONS"}:  # type: ignore[operator]
                out.add((name, rule.endpoint, method))
    return out


# -- reading any answer as text ------------------------------------------------------------------


def readable(response: Any) -> str:
    """The body as text to search: JSON and CSV as they are, XLSX and PDF unpacked."""
    data = response.get_data()
    if data.startswith(b"PK"):  # XLSX: a zip of XML parts
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    if data.startswith(b"%PDF"):  # its text as extracted, its metadata and its raw bytes
        doc = pdfium.PdfDocument(data)
        try:
            parts = [page.get_textpage().get_text_range() for page in doc]
            parts += [str(v) for v in doc.get_metadata_dict().values()]
        finally:
            doc.close()
        return "\n".join([*parts, data.decode("latin-1")])
    return data.decode("utf-8", "replace")


# -- the matrix ----------------------------------------------------------------------------------


@dataclass
class Tally:
    attempts: int = 0
    leaks: list[tuple[Any, ...]] = field(default_factory=list)
    tried: set[tuple[str, str, str]] = field(default_factory=set)


def _call(m: Matrix, key: tuple[str, str, str], who: str, path: str, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {m.world.tokens[who]}"}
    return m.clients[key[0]].open(path, method=key[2], headers=headers, json=body)


def succeeded(response: Any) -> bool:
    """A 2xx."""
    return 200 <= response.status_code < 300


def _try(m: Matrix, tally: Tally, who: str, target: School, foreign: set[str]) -> None:
    """Every endpoint, aimed at one school that is not the caller's."""
    for key, endpoint in ENDPOINTS.items():
        tally.tried.add(key)
        for relative, body in endpoint.build(target):
            tally.attempts += 1
            path = _path(key, relative)
            response = _call(m, key, who, path, body)
            text = readable(response)
            asked = path + json.dumps(body)  # an error page may echo what was asked
            seen = sorted(i for i in foreign if i and i in text and i not in asked)
            status = response.status_code
            expected = {403, 404} if endpoint.kind == "object" else {200, 201, 403}
            if seen or status not in expected:
                tally.leaks.append((who, key[2], path, status, seen[:3]))


def _try_links(m: Matrix, tally: Tally, who: str, own: School, target: School) -> None:
    """A preference link opens its own guardian's settings only: the caller's family link with
    the guardian swapped, a link for the target signed with another key or for another purpose,
    and the caller's bearer token in its place all answer 404."""
    n = m.notifications
    token = own.link.rsplit("/", 1)[-1]
    claims = {"gid": str(m.world.guardians[target.pupil]), "pid": str(target.partnership)}
    forged = [
        _tampered(token, claims["gid"]),
        sign(
            claims, "another-secret-another-secret-!!", "guardian-preferences", n.clock.now(), DAY
        ),
        sign(claims, n.settings.jwt_secret, "calendar-feed", n.clock.now(), DAY),
        m.world.tokens[who],
    ]
    for key in sorted(LINKS):
        tally.tried.add(key)
        for bad in forged:
            tally.attempts += 1
            body = {"language": "en", "informational": False} if key[2] == "PUT" else None
            tail = "/unsubscribe" if key[1] == "preferences.Unsubscribe" else ""
            response = _call(m, key, who, f"/api/v1/preferences/{bad}{tail}", body)
            if response.status_code != 404 or str(target.partnership) in readable(response):
                tally.leaks.append((who, key[2], "preferences (forged link)", response.status_code))


DAY = timedelta(days=1)


def _tampered(token: str, guardian_id: str) -> str:
    """The token with another guardian in its claims and its own signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["gid"] = guardian_id
    raw = json.dumps(claims, separators=(",", ":")).encode()
    return ".".join([header, base64.urlsafe_b64encode(raw).decode().rstrip("="), signature])


def _own_school(m: Matrix, side: str, role: str) -> School:
    return m.schools[f"{side}2"] if role == "coordinator2" else m.schools[f"{side}1"]


def database(m: Matrix, needles: set[str]) -> dict[str, Any]:
    """Every row of both services' databases that holds one of `needles` (a tenant's or a
    school's ids): to show that the refused writes wrote nothing there."""
    out = {}
    for name, service, metadata in (
        ("n", m.notifications, notifications_orm.metadata),
        ("r", m.reports, reports_orm.metadata),
    ):
        with service.engine.connect() as conn:
            for table in metadata.sorted_tables:
                rows = [
                    json.dumps(dict(r), default=str) for r in conn.execute(select(table)).mappings()
                ]
                out[f"{name}.{table.name}"] = sorted(
                    r for r in rows if any(n in r for n in needles)
                )
    return out


def test_no_role_reaches_another_tenants_notifications_or_reports(matrix, capsys):
    m = matrix
    missing = registered(m.apps) - set(ENDPOINTS) - LINKS
    unlisted = {k for k in missing if k[1] not in PUBLIC}
    assert not unlisted, f"endpoints neither tried nor listed as public: {sorted(unlisted)}"

    tally = Tally()
    for side in SIDES:
        other = "b" if side == "a" else "a"
        foreign = m.tenant_ids(other)
        before = database(m, foreign)
        for role, who in CALLERS[side].items():
            own = _own_school(m, side, role)
            for target in m.side(other):
                _try(m, tally, who, target, foreign)
                _try_links(m, tally, who, own, target)
        assert database(m, foreign) == before  # nothing refused wrote anything
        for role, who in CALLERS[side].items():
            if role in SCHOOL_BOUND:  # the other school of their own partnership
                own = _own_school(m, side, role)
                neighbour = next(s for s in m.side(side) if s is not own)
                before = database(m, neighbour.ids)
                _try(m, tally, who, neighbour, m.school_ids(neighbour))
                _try_links(m, tally, who, own, neighbour)
                assert database(m, neighbour.ids) == before
    assert tally.tried == set(ENDPOINTS) | LINKS

    for name in ("n", "r"):  # the public endpoints hold no tenant's ids
        client = m.clients["notifications" if name == "n" else "reports"]
        for path in ("/health", "/health/ready", "/metrics", "/api/v1/openapi.json"):
            tally.attempts += 1
            text = client.get(path).get_data(as_text=True)
            seen = [i for i in m.tenant_ids("a") | m.tenant_ids("b") if i in text]
            if seen:
                tally.leaks.append(("anonymous", "GET", path, seen[:3]))

    with capsys.disabled():
        print(
            f"\nnotifications and reports matrix: {tally.attempts} attempts, "
            f"{len(tally.leaks)} leaks"
        )
        for leak in tally.leaks:
            print("LEAK", leak)
    assert tally.attempts > 1000
    assert tally.leaks == []


def test_a_teacher_sees_nothing_of_an_unassigned_pupil_of_their_own_school(matrix, capsys):
    """docs/SECURITY.md: a teacher sees only the pupils they are assigned to. The teachers of
    a1 and b1 are assigned to none, so every endpoint aimed at their own school (where school-
    level answers, such as its report, are allowed) shows nothing of its pupil: no pupil, case
    or guardian id, no guardian address, no name."""
    m = matrix
    tally = Tally()
    for side in SIDES:
        who = CALLERS[side]["teacher"]
        school = _own_school(m, side, "teacher")
        pupil = {school.case, str(m.world.pupils[school.pupil]), school.guardian}
        pupil |= {i for i in school.ids if "@" in i} | {f"Kind {school.pupil}"}
        for key, endpoint in ENDPOINTS.items():
            for relative, body in endpoint.build(school):
                tally.attempts += 1
                path = _path(key, relative)
                response = _call(m, key, who, path, body)
                asked = path + json.dumps(body)
                seen = sorted(i for i in pupil if i in readable(response) and i not in asked)
                if seen or response.status_code >= 500:
                    tally.leaks.append((who, key[2], path, response.status_code, seen[:3]))
    with capsys.disabled():
        print(f"\nteacher, unassigned pupil: {tally.attempts} attempts, {len(tally.leaks)} leaks")
    assert tally.attempts >= 50  # every API endpoint of notifications and reports, both sides
    assert tally.leaks == []


def test_the_same_calls_on_ones_own_tenant_succeed_for_the_roles_allowed(matrix):
    """What makes the matrix meaningful: aimed at the caller's own school, the same requests
    answer 2xx for exactly the roles the access model allows, with the school's own data."""
    m = matrix
    wrong = []
    for side in SIDES:
        for role, who in CALLERS[side].items():
            own = _own_school(m, side, role)
            for key, endpoint in ENDPOINTS.items():
                for relative, body in endpoint.build(own):
                    if key[1] == "deliveries.Retry":  # a dead row each time
                        with m.notifications.store() as store:
                            now = m.notifications.clock.now()
                            store.finish(own.dead, "dead", now, "unreachable")
                            store.commit()
                    response = _call(m, key, who, _path(key, relative), body)
                    ok = succeeded(response)
                    if ok != (role in endpoint.allowed) or response.status_code >= 500:
                        wrong.append((who, key[1], key[2], relative, response.status_code))
            # The family's own link opens their own settings.
            if role == "guardian":
                for method in ("GET", "PUT"):
                    body = {"language": "en", "informational": False} if method == "PUT" else None
                    client = m.clients["notifications"]
                    response = client.open(own.link, method=method, json=body)
                    if response.status_code != 200:
                        wrong.append((who, "preferences", method, response.status_code))
    assert wrong == []
    # And what an allowed role sees of its own tenant is really there: the delivery log of a
    # school shows its rows, the partnership report its schools.
    school = m.schools["a1"]
    response = _call(
        m, (N, "deliveries.Deliveries", "GET"), "coordinator_a1", "/api/v1/deliveries/", None
    )
    assert str(school.sent) in response.get_data(as_text=True)
    response = _call(
        m,
        (R, "reports.PartnershipReport", "GET"),
        "consultant_b",
        f"/api/v1/reports/partnership?{PERIOD}",
        None,
    )
    assert str(m.schools["b2"].id) in readable(response)
