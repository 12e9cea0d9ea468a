"""A small world for API tests: two partnerships, their schools, staff of every role, pupils with
guardians, and a bearer token per person, all made through the real handlers and token endpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from services.cases.bootstrap import Container
from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    client: FlaskClient
    partnership_a: UUID
    partnership_b: UUID
    school_a1: UUID
    school_a2: UUID
    school_b1: UUID
    users: dict[str, UUID] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    pupils: dict[str, UUID] = field(default_factory=dict)
    guardians: dict[str, UUID] = field(default_factory=dict)

    def call(self, who: str, method: str, path: str, **kwargs: Any) -> Any:
        """Call the API as one of the world's people ('coordinator_a1', 'admin_a', ...)."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)


def _token(client: FlaskClient, email: str) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def build_world(container: Container, client: FlaskClient) -> World:
    """Create everything through handlers; tokens through the HTTP endpoint."""
    pa = h.create_partnership(
        c.CreatePartnership("SWV A", "admin@a.test", "Admin A", PASSWORD), container.uow()
    )
    pb = h.create_partnership(
        c.CreatePartnership("SWV B", "admin@b.test", "Admin B", PASSWORD), container.uow()
    )
    with container.uow() as uow:
        admin_a = h.principal_of(uow.repo.user_by_email("admin@a.test"), uow)  # type: ignore[arg-type]
        admin_b = h.principal_of(uow.repo.user_by_email("admin@b.test"), uow)  # type: ignore[arg-type]
    a1 = h.create_school(c.CreateSchool(pa, "School A1", "noord"), container.uow(), admin_a)
    a2 = h.create_school(c.CreateSchool(pa, "School A2", "noord"), container.uow(), admin_a)
    b1 = h.create_school(c.CreateSchool(pb, "School B1", "zuid"), container.uow(), admin_b)
    world = World(client, pa, pb, a1, a2, b1)
    world.users["admin_a"] = admin_a.user_id
    world.users["admin_b"] = admin_b.user_id
    people = [
        ("coordinator_a1", "coordinator", a1, admin_a),
        ("teacher_a1", "teacher", a1, admin_a),
        ("director_a1", "director", a1, admin_a),
        ("consultant_a", "consultant", None, admin_a),
        ("coordinator_a2", "coordinator", a2, admin_a),
        ("coordinator_b1", "coordinator", b1, admin_b),
        ("guardian_a1", "guardian", None, admin_a),
    ]
    for key, role, school, admin in people:
        world.users[key] = h.create_user(
            c.CreateUser(
                role=role, email=f"{key}@test.nl", name=key, password=PASSWORD, school_id=school
            ),
            container.uow(),
            admin,
        )
    with container.uow() as uow:
        coordinators = {
            key: h.principal_of(uow.repo.user(world.users[key]), uow)  # type: ignore[arg-type]
            for key in ("coordinator_a1", "coordinator_a2", "coordinator_b1")
        }
    h.publish_support_profile(
        c.PublishSupportProfile(
            a1,
            ["reading_dyslexia", "math_dyscalculia"],
            ["reading_dyslexia_combined"],
            date(2025, 8, 1),
            date(2029, 7, 31),
        ),
        container.uow(),
        coordinators["coordinator_a1"],
    )
    for key, school, coordinator, guardian_email in (
        ("a1", a1, "coordinator_a1", "guardian_a1@test.nl"),
        ("a1_other", a1, "coordinator_a1", "other.parent@test.nl"),
        ("a2", a2, "coordinator_a2", "parent.a2@test.nl"),
        ("b1", b1, "coordinator_b1", "parent.b1@test.nl"),
    ):
        staff = [{"user_id": world.users[coordinator], "role": "coordinator"}]
        world.pupils[key] = h.register_pupil(
            c.RegisterPupil(
                school_id=school,
                given_name=f"Kind {key}",
                family_name="Test",
                date_of_birth=date(2017, 5, 1),
                group="groep 4",
                enrolled_on=date(2021, 8, 23),
                pupil_number=f"N-{key}".replace("_", "-"),
                guardians=[
                    {
                        "name": f"Ouder {key}",
                        "email": guardian_email,
                        "phone": None,
                        "language": "nl",
                    }
                ],
                staff=staff,
            ),
            container.uow(),
            coordinators[coordinator],
        )
        with container.uow() as uow:
            world.guardians[key] = uow.repo.pupil(world.pupils[key]).guardians[0].id  # type: ignore[union-attr]
    for key in world.users:
        email = f"{key}@test.nl" if not key.startswith("admin") else f"admin@{key[-1]}.test"
        world.tokens[key] = _token(client, email)
    return world
