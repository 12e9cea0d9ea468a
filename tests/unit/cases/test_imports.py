"""Bulk import: reading CSV/XLSX files, the column mapping, row validation, and the use cases on
the in-memory unit of work. Files are written by the tests, with the headers Dutch exports use."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import openpyxl
import pytest

from services.cases.adapters.spreadsheet import read_sheet
from services.cases.domain import imports as im
from services.cases.domain.school import Guardian, Partnership, Pupil, School, User
from services.cases.service_layer import imports as uc
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound, RuleViolation
from tests.unit.cases.fakes import FakeUnitOfWork

TODAY = date(2026, 10, 15)  # fakes.NOW in Amsterdam

HEADER = [
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Groep",
    "Naam ouder 1",
    "E-mail ouder 1",
    "Telefoon ouder 1",
    "Taal ouder 1",
    "Naam ouder 2",
    "E-mail ouder 2",
]
ROWS = [
    ["1001", "Anouk", "de", "Vries", "01-05-2017", "groep 4", "Marieke de Vries",
     "Marieke@Example.nl", "06-12345678", "nl", "", ""],
    ["1002", "Zoë", "", "Bakker", "2016-3-4", "5a", "Pieter Bakker", "pieter@bakker.nl", "",
     "Engels", "Ilse Bakker", "ilse@bakker.nl"],
    ["1003", "Daan", "van der", "Berg", "7-9-2018", "3", "Sanne van der Berg", "", "", "", "", ""],
]  # fmt: skip


def csv_bytes(rows: list[list[str]], sep: str = ";", encoding: str = "utf-8-sig") -> bytes:
    """A CSV export as a school administration writes it (no quoting needed for these rows)."""
    lines = [sep.join(HEADER), *(sep.join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    """An Excel workbook made with openpyxl, dates as real Excel dates."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse(content: bytes, filename: str = "export.csv") -> tuple[list[Any], list[Any]]:
    sheet = read_sheet(content, filename)
    columns = im.map_columns(sheet.headers, im.PUPIL_COLUMNS, im.PUPIL_REQUIRED)
    return im.parse_pupil_rows(sheet, columns, TODAY)


# -- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sep", "encoding"),
    [(";", "utf-8-sig"), (";", "utf-8"), (",", "utf-8"), ("\t", "utf-8-sig"), (";", "cp1252")],
)
def test_csv_encodings_and_separators(sep: str, encoding: str) -> None:
    good, bad = parse(csv_bytes(ROWS, sep, encoding))
    assert bad == []
    assert [(p.row, p.pupil_number, p.given_name, p.family_name) for p in good] == [
        (2, "1001", "Anouk", "de Vries"),
        (3, "1002", "Zoë", "Bakker"),
        (4, "1003", "Daan", "van der Berg"),
    ]


def test_windows_1252_keeps_accents() -> None:
    rows = [["2001", "Chloë", "", "Hélène-Müller", "01-01-2016", "6", "Renée", "", "", "", "", ""]]
    content = csv_bytes(rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really not UTF-8
    (pupil,), _ = parse(content)
    assert (pupil.given_name, pupil.family_name) == ("Chloë", "Hélène-Müller")
    assert pupil.guardians[0].name == "Renée"


def test_values_are_normalised() -> None:
    good, _ = parse(csv_bytes(ROWS))
    anouk, zoe, daan = good
    assert anouk.date_of_birth == date(2017, 5, 1)
    assert anouk.group == "groep 4"
    assert anouk.enrolled_on is None  # no column: the use case uses the school year's start
    assert anouk.guardians == [
        im.GuardianRow("Marieke de Vries", "marieke@example.nl", "06-12345678", "nl")
    ]
    assert zoe.date_of_birth == date(2016, 3, 4) and zoe.group == "groep 5a"
    assert [g.language for g in zoe.guardians] == ["en", "nl"]  # "Engels"; empty is nl
    assert daan.date_of_birth == date(2018, 9, 7) and daan.group == "groep 3"
    assert daan.guardians == [im.GuardianRow("Sanne van der Berg", None, None, "nl")]


def test_row_numbers_are_the_spreadsheets_with_blank_lines_counted() -> None:
    content = csv_bytes([ROWS[0], [""] * len(HEADER), ROWS[1]]).replace(b";;;;;;;;;;;\r\n", b"\r\n")
    good, _ = parse(content)
    assert [p.row for p in good] == [2, 4]


def test_quoted_fields_with_separators_and_newlines() -> None:
    text = ";".join(HEADER) + '\n1001;"Anouk";"";"Vries; de";01-05-2017;4;"Ouder\nEen";;;;;\n'
    text += "1002;Bo;;Jansen;01-05-2017;4;Ouder;;;;;\n"
    good, _ = parse(text.encode())
    assert [(p.row, p.family_name) for p in good] == [(2, "Vries; de"), (3, "Jansen")]
    assert good[0].guardians[0].name == "Ouder Een"  # whitespace collapsed


def test_xlsx_with_excel_dates_and_numbers() -> None:
    rows = [
        [1001, "Anouk", "de", "Vries", datetime(2017, 5, 1), "4", "Marieke", None, 612345678],
        [1002.0, "Bo", None, "Jansen", "03-02-2016", 5, "Kees", "kees@jansen.nl", None],
        [None, None, None, None, None, None, None, None, None],  # blank row: skipped, counted
        ["1003", "Cas", None, "Smit", 42856, "groep 8", "Lot", None, None],
    ]
    good, bad = parse(xlsx_bytes(rows), "leerlingen.xlsx")
    assert bad == []
    assert [(p.row, p.pupil_number, p.date_of_birth, p.group) for p in good] == [
        (2, "1001", date(2017, 5, 1), "groep 4"),
        (3, "1002", date(2016, 2, 3), "groep 5"),
        (5, "1003", date(2017, 5, 1), "groep 8"),  # 42856: an Excel serial without a format
    ]
    assert good[0].guardians[0].phone == "612345678"


@pytest.mark.parametrize(
    ("content", "filename", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.png", "unsupported_file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "list.pdf", "unsupported_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "oud.xls", "unsupported_file"),
        (b"PK\x03\x04 not really a zip", "kapot.xlsx", "unsupported_file"),
        (b"", "leeg.csv", "empty_file"),
        (b"\r\n ; ;\r\n", "leeg.csv", "empty_file"),
    ],
)
def test_files_that_are_not_csv_or_xlsx(content: bytes, filename: str, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        read_sheet(content, filename)
    assert caught.value.code == code
    assert caught.value.errors["file"]


def test_limits_on_size_and_rows() -> None:
    with pytest.raises(im.FileTooLarge) as too_large:
        read_sheet(b"a;b\n" * (im.MAX_FILE_BYTES // 4 + 1))
    assert too_large.value.status == 413
    content = csv_bytes([ROWS[0]] * 11)
    with pytest.raises(RuleViolation) as too_long:
        read_sheet(content, max_rows=10)
    assert too_long.value.code == "too_many_rows"
    assert len(read_sheet(content, max_rows=11).rows) == 11


# -- mapping -----------------------------------------------------------------------------------


def test_default_mapping_ignores_case_spaces_and_punctuation() -> None:
    headers = [" leerling nummer ", "VOORNAAM", "achternaam", "geboorte datum", "Klas",
               "EMAIL OUDER 1", "naam ouder 1", "Inschrijfdatum"]  # fmt: skip
    columns = im.map_columns(headers, im.PUPIL_COLUMNS, im.PUPIL_REQUIRED)
    assert columns == {
        "pupil_number": 0,
        "given_name": 1,
        "family_name": 2,
        "date_of_birth": 3,
        "group": 4,
        "guardian1_email": 5,
        "guardian1_name": 6,
        "enrolled_on": 7,
    }


def test_roepnaam_wins_over_voornaam_and_the_mapping_can_say_otherwise() -> None:
    headers = ["Leerlingnummer", "Voornaam", "Roepnaam", "Achternaam", "Geboortedatum", "Groep",
               "Naam ouder 1", "Stamgroep 2026"]  # fmt: skip
    assert im.map_columns(headers, im.PUPIL_COLUMNS, im.PUPIL_REQUIRED)["given_name"] == 2
    custom = im.map_columns(
        headers,
        im.PUPIL_COLUMNS,
        im.PUPIL_REQUIRED,
        {"given_name": "voornaam", "group": "Stamgroep 2026", "guardian2_name": None},
    )
    assert (custom["given_name"], custom["group"]) == (1, 7)
    assert "guardian2_name" not in custom


def test_mapping_problems_are_reported_together() -> None:
    headers = ["Leerlingnummer", "Voornaam", "Achternaam"]
    with pytest.raises(RuleViolation) as caught:
        im.map_columns(
            headers,
            im.PUPIL_COLUMNS,
            im.PUPIL_REQUIRED,
            {"shoe_size": "Maat", "group": "Jaarlaag"},
        )
    assert caught.value.code == "invalid_mapping"
    assert caught.value.errors == {
        "mapping.shoe_size": ["Not a field of this import."],
        "mapping.group": ["No column 'Jaarlaag' in the file."],
        "mapping.date_of_birth": ['No column for this field (usually "Geboortedatum").'],
        "mapping.guardian1_name": [
            'No column for this field (usually "Naam ouder 1", "Naam ouder/verzorger 1", '
            '"Ouder 1").'
        ],
    }


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1", "groep 1"),
        ("8", "groep 8"),
        ("groep 1", "groep 1"),
        ("Groep  8", "groep 8"),
        ("1a", "groep 1a"),
        ("8B", "groep 8b"),
        ("groep 4c", "groep 4c"),
        ("1/2", "groep 1/2"),
        ("groep 5-6", "groep 5/6"),
        ("6/7/8", "groep 6/7/8"),
        ("1 havo", "1 havo"),
        ("3 VMBO-KB", "3 vmbo-kb"),
        ("2 havo/vwo", "2 havo/vwo"),
        ("6 vwo", "6 vwo"),
        ("1 gymnasium", "1 gymnasium"),
    ],
)
def test_known_groups(text: str, stored: str) -> None:
    assert im.normalise_group(text) == stored


@pytest.mark.parametrize(
    "text", ["0", "9", "groep 9", "1ab", "3/5", "2/1", "7 havo", "1 mbo", "klas", "8 groep", "1H2"]
)
def test_unknown_groups(text: str) -> None:
    assert im.normalise_group(text) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01-05-2017", date(2017, 5, 1)),
        ("1-5-2017", date(2017, 5, 1)),
        ("1.5.2017", date(2017, 5, 1)),
        ("01/05/2017", date(2017, 5, 1)),
        ("2017-05-01", date(2017, 5, 1)),
        ("2017-5-1 00:00:00", date(2017, 5, 1)),
        (datetime(2017, 5, 1, 0, 0), date(2017, 5, 1)),
        (42856, date(2017, 5, 1)),
    ],
)
def test_dates(value: Any, expected: date) -> None:
    assert im.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31-02-2017", "2017/05/01", "05-2017", "gisteren", "1-5-17"])
def test_not_dates(value: str) -> None:
    with pytest.raises(ValueError):
        im.parse_date(value)


def test_every_problem_of_a_row_is_reported_with_its_row_number() -> None:
    rows = [
        ROWS[0],
        ["", "", "", "", "", "", "", "", "", "", "", ""],  # blank: skipped, not an error
        ["", "", "", "", "15-13-2016", "groep 9", "Ouder", "geen-mail", "12", "fr", "", "x@y.nl"],
        ["1005", "Eva", "", "Kok", "01-01-2027", "4", "", "", "", "", "", ""],
        ["1006", "Finn", "", "Mol", "02-02-2016", "4", "", "finn.ouder@mol.nl", "", "", "", ""],
        ["1001", "Anouk", "", "Anders", "01-05-2017", "4", "Ouder", "", "", "", "", ""],
        ["10 07", "Gijs", "", "Roos", "03-03-1890", "1 havo", "Ouder", "", "", "", "", ""],
        ["1008", "Hana", "", "Kaya", "01-01-2016", "groep 4", "Ouder Kaya", "", "", "", "", ""],
    ]
    good, bad = parse(csv_bytes(rows))
    assert [(p.row, p.pupil_number) for p in good] == [(9, "1008")]
    assert [(r.row, r.key, r.errors) for r in bad] == [
        (2, "1001", {"pupil_number": ["Also on row 7 of the file."]}),
        (
            4,
            None,
            {
                "pupil_number": ["Missing."],
                "given_name": ["Missing."],
                "family_name": ["Missing."],
                "date_of_birth": ["Not a date; use dd-mm-jjjj or jjjj-mm-dd."],
                "group": ["Unknown group 'groep 9' (e.g. 'groep 4', '4a', '1 havo')."],
                "guardian1_email": ["Not a valid e-mail address."],
                "guardian1_phone": ["Not a valid phone number."],
                "guardian1_language": ["Unknown language; use nl or en."],
                "guardian2_name": ["Missing."],
            },
        ),
        (
            5,
            "1005",
            {
                "date_of_birth": ["Must be in the past."],
                "guardian1_name": ["At least one guardian is needed."],
            },
        ),
        (6, "1006", {"guardian1_name": ["Missing."]}),
        (7, "1001", {"pupil_number": ["Also on row 2 of the file."]}),
        (
            8,
            "10 07",
            {
                "pupil_number": ["Only letters, digits and '-', at most 32."],
                "date_of_birth": ["Not plausible."],
            },
        ),
    ]


def test_enrolment_date_column_is_checked() -> None:
    header = ["Leerlingnummer", "Voornaam", "Achternaam", "Geboortedatum", "Groep", "Naam ouder 1",
              "Datum inschrijving"]  # fmt: skip
    rows = [
        ["1", "A", "B", "01-05-2017", "4", "O", "20-08-2021"],
        ["2", "A", "B", "01-05-2017", "4", "O", "20-08-2016"],
        ["3", "A", "B", "01-05-2017", "4", "O", "01-01-2028"],
        ["4", "A", "B", "01-05-2017", "4", "O", ""],
    ]
    text = "\n".join(";".join(r) for r in [header, *rows])
    good, bad = parse(text.encode())
    assert [(p.pupil_number, p.enrolled_on) for p in good] == [
        ("1", date(2021, 8, 20)),
        ("4", None),
    ]
    assert [(r.row, r.errors) for r in bad] == [
        (3, {"enrolled_on": ["Cannot be before the date of birth."]}),
        (4, {"enrolled_on": ["Must be within a year from today."]}),
    ]


def test_staff_rows() -> None:
    text = (
        "Naam,E-mail,Rol,Telefoon,Taal\n"
        "Juf Anna,Anna@School.nl,leerkracht,,\n"
        "Meester Bas,bas@school.nl,IB'er,020-1234567,en\n"
        "Carla,carla@school.nl,Intern Begeleider,,\n"
        "Dirk,dirk@school.nl,directie,,\n"
        "Eva,eva@school.nl,conciërge,,\n"
        ",geen-mail,,abc,de\n"
        "Anna Dubbel,anna@school.nl,ib,,\n"
    )
    sheet = read_sheet(text.encode(), "team.csv")
    columns = im.map_columns(sheet.headers, im.STAFF_COLUMNS, im.STAFF_REQUIRED)
    good, bad = im.parse_staff_rows(sheet, columns)
    assert [(s.row, s.email, s.role, s.phone, s.language) for s in good] == [
        (3, "bas@school.nl", "coordinator", "020-1234567", "en"),
        (4, "carla@school.nl", "coordinator", None, "nl"),
        (5, "dirk@school.nl", "director", None, "nl"),
    ]
    assert [(r.row, r.key, r.errors) for r in bad] == [
        (2, "anna@school.nl", {"email": ["Also on row 8 of the file."]}),
        (
            6,
            "eva@school.nl",
            {"role": ["Unknown role 'conciërge' (leerkracht, intern begeleider, directeur)."]},
        ),
        (
            7,
            "geen-mail",
            {
                "name": ["Missing."],
                "email": ["Not a valid e-mail address."],
                "role": ["Missing."],
                "phone": ["Not a valid phone number."],
                "language": ["Unknown language; use nl or en."],
            },
        ),
        (8, "anna@school.nl", {"email": ["Also on row 2 of the file."]}),
    ]


# -- use cases ---------------------------------------------------------------------------------


class Setup:
    """Partnership A with schools a1 and a2, partnership B with b1, and the people who act."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        pa, pb = Partnership(name="SWV A"), Partnership(name="SWV B")
        a1, a2 = (
            School(partnership_id=pa.id, name="A1", region="noord"),
            School(partnership_id=pa.id, name="A2", region="noord"),
        )
        b1 = School(partnership_id=pb.id, name="B1", region="zuid")
        self.pa, self.pb, self.a1, self.a2, self.b1 = pa.id, pb.id, a1.id, a2.id, b1.id
        self.parent = User(
            partnership_id=pa.id, role="guardian", email="marieke@example.nl", name="M",
            password_hash=None,
        )  # fmt: skip
        self.other_parent = User(
            partnership_id=pb.id, role="guardian", email="pieter@bakker.nl", name="P",
            password_hash=None,
        )  # fmt: skip
        with self.uow as uow:
            for obj in (pa, pb, a1, a2, b1, self.parent, self.other_parent):
                uow.repo.add(obj)
            uow.commit()
        self.uow.outbox.clear()
        self.uow.commits = 0

    def person(self, role: Role, school: UUID | None = None, partnership: UUID | None = None):
        schools = frozenset([school]) if school else frozenset()
        return Principal(uuid4(), role, partnership or self.pa, schools)

    @property
    def coordinator(self) -> Principal:
        return self.person(Role.COORDINATOR, self.a1)

    @property
    def admin(self) -> Principal:
        return self.person(Role.ADMIN)

    def pupils(self) -> dict[str, Pupil]:
        with self.uow as uow:
            return {
                p.pupil_number: p
                for p in uow.repo.pupils_by_number(self.a1, [str(n) for n in range(1000, 1100)])
                .values()
            }  # fmt: skip

    def import_pupils(self, content: bytes, dry_run: bool = False) -> uc.ImportReport:
        cmd = im.ImportPupils(self.a1, content, "export.csv", dry_run=dry_run)
        return uc.import_pupils(cmd, self.uow, self.coordinator, read_sheet)

    def import_staff(self, text: str, dry_run: bool = False) -> uc.ImportReport:
        cmd = im.ImportStaff(self.a1, text.encode(), "team.csv", dry_run=dry_run)
        return uc.import_staff(cmd, self.uow, self.admin, read_sheet)


def statuses(report: uc.ImportReport) -> list[tuple[int, str, str | None, list[str]]]:
    return [(r.row, r.status, r.key, r.changes) for r in report.rows]


def test_import_creates_pupils_through_the_domain_then_changes_nothing() -> None:
    s = Setup()
    bad_row = ["1004", "Eva", "", "Kok", "01-01-2016", "groep 9", "Ouder", "", "", "", "", ""]
    report = s.import_pupils(csv_bytes([*ROWS, bad_row]))
    assert statuses(report) == [
        (2, "created", "1001", []),
        (3, "created", "1002", []),
        (4, "created", "1003", []),
        (5, "rejected", "1004", []),
    ]
    assert report.rows[3].errors == {
        "group": ["Unknown group 'groep 9' (e.g. 'groep 4', '4a', '1 havo')."]
    }
    assert report.summary == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 1}
    assert s.uow.commits == 1
    assert s.uow.outbox_types() == ["pupil.enrolled"] * 3
    pupils = s.pupils()
    assert set(pupils) == {"1001", "1002", "1003"}
    anouk = pupils["1001"]
    assert (anouk.family_name, anouk.group, anouk.enrolled_on) == ("de Vries", "groep 4",
                                                                   date(2026, 8, 1))  # fmt: skip
    assert anouk.guardians[0].user_id == s.parent.id  # the parent's account in the partnership
    assert [g.user_id for g in pupils["1002"].guardians] == [None, None]  # other partnership

    again = s.import_pupils(csv_bytes([*ROWS, bad_row]))
    assert [r.status for r in again.rows] == ["unchanged"] * 3 + ["rejected"]
    assert s.uow.outbox_types() == ["pupil.enrolled"] * 3


def test_changed_rows_update_and_guardians_keep_their_ids() -> None:
    s = Setup()
    s.import_pupils(csv_bytes(ROWS))
    before = s.pupils()
    marieke_id = before["1001"].guardians[0].id
    changed = [list(r) for r in ROWS]
    changed[0][5] = "groep 5"  # Anouk moves up
    changed[0][8] = "06-87654321"  # her mother's new number
    changed[1][10:12] = ["", ""]  # Zoë's second parent leaves the file
    changed[2][1] = "Daniël"
    report = s.import_pupils(csv_bytes(changed))
    assert statuses(report) == [
        (2, "updated", "1001", ["group", "guardians"]),
        (3, "updated", "1002", ["guardians"]),
        (4, "updated", "1003", ["given_name"]),
    ]
    after = s.pupils()
    assert after["1001"].group == "groep 5"
    assert [(g.id, g.phone) for g in after["1001"].guardians] == [(marieke_id, "06-87654321")]
    assert [g.name for g in after["1002"].guardians] == ["Pieter Bakker"]
    assert after["1003"].given_name == "Daniël"
    assert s.uow.outbox_types() == ["pupil.enrolled"] * 3  # updates have no event


def test_dry_run_reports_the_same_and_writes_nothing() -> None:
    s = Setup()
    s.import_pupils(csv_bytes(ROWS[:1]))
    commits, outbox = s.uow.commits, list(s.uow.outbox)
    changed = [list(ROWS[0]), *ROWS[1:]]
    changed[0][1] = "Anoek"
    report = s.import_pupils(csv_bytes(changed), dry_run=True)
    assert report.dry_run
    assert statuses(report) == [
        (2, "updated", "1001", ["given_name"]),
        (3, "created", "1002", []),
        (4, "created", "1003", []),
    ]
    assert (s.uow.commits, s.uow.outbox) == (commits, outbox)
    assert set(s.pupils()) == {"1001"} and s.pupils()["1001"].given_name == "Anouk"


def test_a_row_the_domain_refuses_is_rejected_not_the_file() -> None:
    s = Setup()
    header = "Leerlingnummer;Voornaam;Achternaam;Geboortedatum;Groep;Naam ouder 1\n"
    # born after the school year began, no enrolment date: the default would precede the birth
    content = (header + "1;A;B;01-09-2026;1;O\n2;C;D;01-09-2020;1;O\n").encode()
    report = s.import_pupils(content)
    assert [(r.row, r.status, r.errors) for r in report.rows] == [
        (2, "rejected", {"enrolled_on": ["Cannot be before the date of birth."]}),
        (3, "created", {}),
    ]


def test_only_the_schools_coordinator_imports_pupils() -> None:
    s = Setup()
    content = csv_bytes(ROWS)
    for who, error in [
        (s.person(Role.TEACHER, s.a1), Forbidden),
        (s.person(Role.DIRECTOR, s.a1), Forbidden),
        (s.admin, Forbidden),
        (s.person(Role.COORDINATOR, s.a2), NotFound),
        (s.person(Role.COORDINATOR, s.b1, s.pb), NotFound),
    ]:
        with pytest.raises(error):
            uc.import_pupils(im.ImportPupils(s.a1, content), s.uow, who, read_sheet)
    assert s.uow.commits == 0


def test_authorisation_comes_before_reading_the_file() -> None:
    s = Setup()
    with pytest.raises(Forbidden):
        uc.import_pupils(
            im.ImportPupils(s.a1, b"\x00garbage"), s.uow, s.person(Role.TEACHER, s.a1), read_sheet
        )


STAFF = (
    "Naam;E-mail;Rol;Telefoon;Taal\n"
    "Juf Anna;anna@a1.nl;leerkracht;;\n"
    "Meester Bas;bas@a1.nl;ib;;en\n"
    "Carla;carla@a2.nl;leerkracht;;\n"
    "Dirk;dirk@b1.nl;directeur;;\n"
    "Eva;eva@a1.nl;schoonmaker;;\n"
)


def test_staff_import_is_idempotent_by_email_and_never_touches_other_accounts() -> None:
    s = Setup()
    with s.uow as uow:
        uow.repo.add(User(partnership_id=s.pa, school_id=s.a1, role="teacher", email="bas@a1.nl",
                          name="Bas", password_hash="x"))  # fmt: skip
        uow.repo.add(User(partnership_id=s.pa, school_id=s.a2, role="teacher",
                          email="carla@a2.nl", name="Carla", password_hash="x"))  # fmt: skip
        uow.repo.add(User(partnership_id=s.pb, school_id=s.b1, role="director",
                          email="dirk@b1.nl", name="Dirk", password_hash="x"))  # fmt: skip
        uow.commit()
    report = s.import_staff(STAFF)
    assert statuses(report) == [
        (2, "created", "anna@a1.nl", []),
        (3, "updated", "bas@a1.nl", ["name", "role", "language"]),
        (4, "rejected", "carla@a2.nl", []),
        (5, "rejected", "dirk@b1.nl", []),
        (6, "rejected", "eva@a1.nl", []),
    ]
    assert report.rows[2].errors == {
        "email": ["This e-mail address belongs to another account of the partnership."]
    }
    assert report.rows[3].errors == {
        "email": ["This e-mail address is already in use by another account."]
    }
    with s.uow as uow:
        users = uow.repo.users_by_email(["anna@a1.nl", "bas@a1.nl", "dirk@b1.nl"])
    anna, bas, dirk = users["anna@a1.nl"], users["bas@a1.nl"], users["dirk@b1.nl"]
    assert (anna.role, anna.school_id, anna.partnership_id, anna.password_hash) == (
        "teacher", s.a1, s.pa, None)  # fmt: skip
    assert (bas.name, bas.role, bas.language, bas.password_hash) == ("Meester Bas", "coordinator",
                                                                     "en", "x")  # fmt: skip
    assert (dirk.partnership_id, dirk.name) == (s.pb, "Dirk")
    again = s.import_staff(STAFF)
    assert [r.status for r in again.rows] == ["unchanged", "unchanged"] + ["rejected"] * 3


def test_staff_dry_run_and_access() -> None:
    s = Setup()
    report = s.import_staff(STAFF, dry_run=True)
    assert report.summary == {"created": 4, "updated": 0, "unchanged": 0, "rejected": 1}
    assert s.uow.commits == 0
    cmd = im.ImportStaff(s.a1, STAFF.encode())
    with pytest.raises(Forbidden):
        uc.import_staff(cmd, s.uow, s.coordinator, read_sheet)
    with pytest.raises(NotFound):
        uc.import_staff(cmd, s.uow, s.person(Role.ADMIN, partnership=s.pb), read_sheet)


def test_existing_guardians_are_matched_by_email_then_name() -> None:
    pupil = Pupil(
        partnership_id=uuid4(), school_id=uuid4(), given_name="A", family_name="B",
        date_of_birth=date(2017, 1, 1), group="groep 4", enrolled_on=date(2021, 8, 1),
        pupil_number="1",
        guardians=[Guardian("Moeder", "m@x.nl", None), Guardian("Vader", None, "0612345678")],
    )  # fmt: skip
    ids = [g.id for g in pupil.guardians]
    row = im.PupilRow(2, "1", "A", "B", date(2017, 1, 1), "groep 4", None, [
        im.GuardianRow("Moeder Jansen", "m@x.nl", None, "nl"),
        im.GuardianRow("vader", "v@x.nl", "0612345678", "en"),
    ])  # fmt: skip
    account = uuid4()
    assert im.pupil_changes(pupil, row) == ["guardians"]
    im.update_pupil(pupil, row, {"v@x.nl": account})
    assert [(g.id, g.name, g.email, g.user_id) for g in pupil.guardians] == [
        (ids[0], "Moeder Jansen", "m@x.nl", None),
        (ids[1], "vader", "v@x.nl", account),
    ]
    assert im.pupil_changes(pupil, row) == []
