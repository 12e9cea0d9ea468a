"""Bulk import over HTTP on SQLite and PostgreSQL: idempotent re-import, updates, dry runs,
access, limits, all-or-nothing writes, and the time a 5,000-row file takes."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, text

from services.cases.adapters import orm
from services.cases.bootstrap import Container
from tests.support.api_flows import NothingWritten, assert_error, row_counts
from tests.support.world import World

HEADER = ("Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;Naam ouder 1;"
          "E-mail ouder 1;Telefoon ouder 1;Taal ouder 1;Naam ouder 2;E-mail ouder 2")  # fmt: skip
ROWS = [
    "1001;Anouk;de;Vries;01-05-2017;groep 4;Marieke de Vries;marieke@example.nl;06-12345678;nl;;",
    "1002;Zoë;;Bakker;04-03-2016;5a;Pieter Bakker;pieter@bakker.nl;;en;Ilse Bakker;ilse@bakker.nl",
    "1003;Daan;van der;Berg;07-09-2018;3;Sanne van der Berg;;;;;",
    "N-a1;Kind a1;;Test;01-05-2017;groep 4;Ouder a1;guardian_a1@test.nl;;nl;;",  # the world's
    "1004;Eva;;Kok;01-01-2027;groep 9;Ouder Kok;geen-mail;;;;",  # bad: future, group, e-mail
    ";Finn;;Mol;02-02-2016;4;Ouder Mol;;;;;",  # bad: no pupil number
]


def pupils_file(rows: list[str], encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding)


def upload(
    world: World,
    who: str,
    content: bytes,
    *,
    kind: str = "pupils",
    school: str = "school_a1",
    dry_run: bool = False,
    filename: str = "export.csv",
    mapping: dict[str, Any] | str | None = None,
) -> Any:
    data: dict[str, Any] = {"file": (io.BytesIO(content), filename)}
    if mapping is not None:
        data["mapping"] = mapping if isinstance(mapping, str) else json.dumps(mapping)
    path = f"/api/v1/schools/{getattr(world, school)}/imports/{kind}"
    query = "?dry_run=true" if dry_run else ""
    return world.call(who, "POST", path + query, data=data, content_type="multipart/form-data")


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    return response.json


def rows_of(body: dict[str, Any]) -> list[tuple[int, str, str | None]]:
    return [(r["row"], r["status"], r.get("pupil_number", r.get("email"))) for r in body["rows"]]


def db_pupil(container: Container, number: str) -> dict[str, Any]:
    p, g = orm.pupils.c, orm.guardians.c
    with container.engine.connect() as conn:
        pupil = conn.execute(select(orm.pupils).where(p.pupil_number == number)).one()
        query = select(orm.guardians).where(g.pupil_id == pupil.id).order_by(g.name)
        guardians = conn.execute(query).all()
    return {"pupil": pupil, "guardians": guardians}


def db_user(container: Container, email: str) -> Any:
    with container.engine.connect() as conn:
        return conn.execute(select(orm.users).where(orm.users.c.email == email)).one()


def test_import_then_the_same_file_changes_nothing(world: World, container: Container) -> None:
    before = row_counts(container)
    body = ok(upload(world, "coordinator_a1", pupils_file(ROWS)))
    assert body["dry_run"] is False
    assert body["summary"] == {"created": 3, "updated": 0, "unchanged": 1, "rejected": 2}
    assert rows_of(body) == [
        (2, "created", "1001"),
        (3, "created", "1002"),
        (4, "created", "1003"),
        (5, "unchanged", "N-a1"),
        (6, "rejected", "1004"),
        (7, "rejected", None),
    ]
    assert body["rows"][4]["errors"] == {
        "date_of_birth": ["Must be in the past."],
        "group": ["Unknown group 'groep 9' (e.g. 'groep 4', '4a', '1 havo')."],
        "guardian1_email": ["Not a valid e-mail address."],
    }
    assert body["rows"][5]["errors"] == {"pupil_number": ["Missing."]}
    after = row_counts(container)
    assert after["pupils"] == before["pupils"] + 3
    assert after["guardians"] == before["guardians"] + 4
    assert after["outbox"] == before["outbox"] + 3
    with container.engine.connect() as conn:
        types = conn.execute(text("SELECT type FROM outbox ORDER BY seq DESC LIMIT 3")).scalars()
        assert list(types) == ["pupil.enrolled"] * 3
    zoe = db_pupil(container, "1002")
    assert (zoe["pupil"].given_name, zoe["pupil"].group) == ("Zoë", "groep 5a")
    assert zoe["pupil"].school_id == world.school_a1
    assert [(g.name, g.language) for g in zoe["guardians"]] == [
        ("Ilse Bakker", "nl"),
        ("Pieter Bakker", "en"),
    ]

    again = ok(upload(world, "coordinator_a1", pupils_file(ROWS)))
    assert [r["status"] for r in again["rows"]] == ["unchanged"] * 4 + ["rejected"] * 2
    assert row_counts(container) == after


def test_a_changed_file_updates_in_place(world: World, container: Container) -> None:
    ok(upload(world, "coordinator_a1", pupils_file(ROWS[:3])))
    marieke = db_pupil(container, "1001")["guardians"][0]
    counts = row_counts(container)
    changed = [
        ROWS[0].replace("groep 4", "groep 5").replace("06-12345678", "06-87654321"),
        ROWS[1].replace("Ilse Bakker;ilse@bakker.nl", ";"),
        ROWS[2],
        "1005;Gijs;;Roos;03-03-2015;7b;Ouder Roos;roos@example.nl;;;;",
    ]
    body = ok(upload(world, "coordinator_a1", pupils_file(changed, encoding="cp1252")))
    assert [(r["row"], r["status"], r["changes"]) for r in body["rows"]] == [
        (2, "updated", ["group", "guardians"]),
        (3, "updated", ["guardians"]),
        (4, "unchanged", []),
        (5, "created", []),
    ]
    anouk = db_pupil(container, "1001")
    assert anouk["pupil"].group == "groep 5"
    assert [(g.id, g.phone) for g in anouk["guardians"]] == [(marieke.id, "06-87654321")]
    assert [g.name for g in db_pupil(container, "1002")["guardians"]] == ["Pieter Bakker"]
    after = row_counts(container)
    assert after["pupils"] == counts["pupils"] + 1
    assert after["guardians"] == counts["guardians"] + 1 - 1
    assert after["outbox"] == counts["outbox"] + 1  # only the new pupil's pupil.enrolled


def test_dry_run_writes_nothing(world: World, container: Container) -> None:
    ok(upload(world, "coordinator_a1", pupils_file(ROWS[:1])))
    changed = [ROWS[0].replace("Anouk", "Anoek"), *ROWS[1:]]
    with NothingWritten(container):
        body = ok(upload(world, "coordinator_a1", pupils_file(changed), dry_run=True))
    assert body["dry_run"] is True
    assert body["summary"] == {"created": 2, "updated": 1, "unchanged": 1, "rejected": 2}
    assert body["rows"][0]["changes"] == ["given_name"]
    assert db_pupil(container, "1001")["pupil"].given_name == "Anouk"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator_a2", 404),  # another school of the partnership
        ("coordinator_b1", 404),  # another partnership
        ("teacher_a1", 403),
        ("director_a1", 403),
        ("admin_a", 403),
        ("guardian_a1", 404),
    ],
)
def test_only_the_schools_coordinator_imports_pupils(
    world: World, container: Container, who: str, status: int
) -> None:
    with NothingWritten(container):
        assert_error(upload(world, who, pupils_file(ROWS)), status)


def test_xlsx_with_an_adjusted_mapping(world: World, container: Container) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Llnr", "Voornaam", "Achternaam", "Geb. datum", "Stamgroep", "Verzorger"])
    sheet.append([2001, "Lotte", "Smit", openpyxl.utils.datetime.from_excel(42856), "8", "Jan"])
    out = io.BytesIO()
    book.save(out)
    mapping = {"pupil_number": "Llnr", "date_of_birth": "Geb. datum", "group": "Stamgroep",
               "guardian1_name": "Verzorger"}  # fmt: skip
    body = ok(upload(world, "coordinator_a1", out.getvalue(), filename="l.xlsx", mapping=mapping))
    assert rows_of(body) == [(2, "created", "2001")]
    assert db_pupil(container, "2001")["pupil"].group == "groep 8"


def test_files_and_mappings_that_do_not_fit(world: World, container: Container) -> None:
    with NothingWritten(container):
        big = b"a;b\n" * (5 * 1024 * 1024 // 4 + 1)  # just over 5 MB
        assert_error(upload(world, "coordinator_a1", big), 413, "file_too_large", "file")
        huge = big * 2  # the request itself is refused before it is read
        assert_error(upload(world, "coordinator_a1", huge), 413, "payload_too_large")
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
        body = assert_error(upload(world, "coordinator_a1", png, filename="x.png"), 422)
        assert body["code"] == "unsupported_file"
        many = pupils_file([ROWS[0]] * 20_001)
        assert_error(upload(world, "coordinator_a1", many), 422, "too_many_rows")
        wrong = b"Naam;E-mail\nA;a@b.nl\n"
        assert_error(
            upload(world, "coordinator_a1", wrong), 422, "invalid_mapping", "mapping.group"
        )
        bad_json = upload(world, "coordinator_a1", pupils_file(ROWS), mapping="{not json")
        assert_error(bad_json, 422, "validation_error", "mapping")
        unknown = upload(world, "coordinator_a1", pupils_file(ROWS), mapping={"shoe": "Maat"})
        assert_error(unknown, 422, "invalid_mapping", "mapping.shoe")
        response = world.call(
            "coordinator_a1",
            "POST",
            f"/api/v1/schools/{world.school_a1}/imports/pupils",
            json={"file": "x"},
        )
        assert_error(response, 422, field="file")


STAFF = (
    "Naam;E-mail;Rol;Telefoon;Taal\n"
    "Juf Anna;anna@a1.test;leerkracht;;\n"
    "Coördinator A1;coordinator_a1@test.nl;IB'er;;en\n"
    "Iemand;coordinator_a2@test.nl;leerkracht;;\n"
    "Iemand anders;admin@b.test;directeur;;\n"
    "Eva;eva@a1.test;schoonmaker;;\n"
)


def test_staff_import_by_the_partnership_admin(world: World, container: Container) -> None:
    for who, status in (("coordinator_a1", 403), ("admin_b", 404), ("director_a1", 403)):
        assert_error(upload(world, who, STAFF.encode(), kind="staff"), status)
    with NothingWritten(container):
        dry = ok(upload(world, "admin_a", STAFF.encode(), kind="staff", dry_run=True))
    assert dry["summary"] == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 3}
    body = ok(upload(world, "admin_a", STAFF.encode(), kind="staff"))
    assert (
        rows_of(body)
        == rows_of(dry)
        == [
            (2, "created", "anna@a1.test"),
            (3, "updated", "coordinator_a1@test.nl"),
            (4, "rejected", "coordinator_a2@test.nl"),
            (5, "rejected", "admin@b.test"),
            (6, "rejected", "eva@a1.test"),
        ]
    )
    assert body["rows"][3]["errors"] == {
        "email": ["This e-mail address is already in use by another account."]
    }
    assert "SWV B" not in json.dumps(body)
    anna = db_user(container, "anna@a1.test")
    coordinator = db_user(container, "coordinator_a1@test.nl")
    assert (anna.role, anna.school_id, anna.password_hash) == ("teacher", world.school_a1, None)
    assert (coordinator.name, coordinator.role, coordinator.language) == (
        "Coördinator A1", "coordinator", "en")  # fmt: skip
    counts = row_counts(container)
    again = ok(upload(world, "admin_a", STAFF.encode(), kind="staff"))
    assert [r["status"] for r in again["rows"]] == ["unchanged"] * 2 + ["rejected"] * 3
    assert row_counts(container) == counts


def test_when_the_database_refuses_a_row_nothing_of_the_file_is_kept(
    world: World, container: Container, db_kind: str
) -> None:
    """A trigger stands in for any refusal at commit (a constraint, a concurrent import)."""
    with container.engine.begin() as conn:
        if db_kind == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER refuse BEFORE INSERT ON guardians WHEN NEW.name = 'Weiger' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"))  # fmt: skip
        else:
            conn.execute(text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.name = 'Weiger' THEN RAISE unique_violation USING MESSAGE = 'refused'; "
                "END IF; RETURN NEW; END $$"))  # fmt: skip
            conn.execute(text(
                "CREATE TRIGGER refuse BEFORE INSERT ON guardians "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"))  # fmt: skip
    rows = [*ROWS[:3], "1009;Laatste;;Rij;01-01-2016;4;Weiger;;;;;"]
    with NothingWritten(container):
        response = upload(world, "coordinator_a1", pupils_file(rows))
        assert_error(response, 409, "import_conflict")


def test_five_thousand_rows(world: World, container: Container, db_kind: str) -> None:
    """Measures; never asserts a wall-clock limit. The figure goes in the closing note."""
    rows = [
        f"{100000 + i};Kind{i};;Achternaam{i};{1 + i % 28:02d}-{1 + i % 12:02d}-{2012 + i % 8};"
        f"{1 + i % 8};Ouder {i};ouder{i}@example.nl;06-{10000000 + i};nl;Tweede {i};"
        for i in range(5000)
    ]
    content = pupils_file(rows)
    before = row_counts(container)
    started = time.perf_counter()
    body = ok(upload(world, "coordinator_a1", content))
    first = time.perf_counter() - started
    assert body["summary"]["created"] == 5000
    started = time.perf_counter()
    again = ok(upload(world, "coordinator_a1", content))
    second = time.perf_counter() - started
    assert again["summary"]["unchanged"] == 5000
    after = row_counts(container)
    assert after["pupils"] - before["pupils"] == 5000
    assert after["guardians"] - before["guardians"] == 10000
    assert after["outbox"] - before["outbox"] == 5000
    print(f"\n5,000-row import on {db_kind}: {first:.2f} s; unchanged re-import {second:.2f} s")


def test_command_line_import(
    world: World,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from services.cases.__main__ import main
    from tests.conftest import JWT_SECRET, NOW, REDIS_URL

    clock_file = tmp_path / "clock"
    clock_file.write_text(NOW.isoformat())
    monkeypatch.setenv("CASES_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("JWT_SECRET", JWT_SECRET)
    monkeypatch.setenv("CLOCK_FILE", str(clock_file))
    export = tmp_path / "leerlingen.csv"
    export.write_bytes(pupils_file(ROWS))
    args = ["import-pupils", "--school", str(world.school_a1), "--as", "coordinator_a1@test.nl"]
    with NothingWritten(container):
        assert main([*args, "--dry-run", str(export)]) == 0
    out = capsys.readouterr().out
    assert out.endswith("dry run, nothing written: 3 created, 0 updated, 1 unchanged, 2 rejected\n")
    assert "row 7 (-): rejected: pupil_number: Missing." in out
    assert main([*args, str(export)]) == 0
    assert capsys.readouterr().out.endswith("3 created, 0 updated, 1 unchanged, 2 rejected\n")
    teacher = ["import-pupils", "--school", str(world.school_a1), "--as", "teacher_a1@test.nl"]
    assert main([*teacher, str(export)]) == 1
    assert "Only the school's coordinator" in capsys.readouterr().err
