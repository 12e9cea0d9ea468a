"""The shared package: time helpers, bearer tokens and scopes, the event envelope and catalog."""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, ClassVar
from uuid import UUID, uuid4

import jwt
import pytest
from marshmallow import ValidationError

from services.cases.domain.events import ALL_EVENTS, SUBJECT_FIELD, Event
from shared.auth import InvalidToken, Principal, Role, issue_token, verify_token
from shared.clock import FixedClock, local_today, school_year_of
from shared.events import CATALOG, Envelope, Subject, UnknownEventType
from shared.events.derive import event_spec
from shared.events.payload import AtLeast, OneOf

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
SECRET = "unit-test-secret-unit-test-secret!"

# -- clock -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2026, 7, 31), "2025-2026", date(2025, 8, 1), date(2026, 7, 31)),
        (date(2026, 8, 1), "2026-2027", date(2026, 8, 1), date(2027, 7, 31)),
        (date(2027, 1, 1), "2026-2027", date(2026, 8, 1), date(2027, 7, 31)),
        (date(2027, 7, 31), "2026-2027", date(2026, 8, 1), date(2027, 7, 31)),
        (date(2027, 8, 1), "2027-2028", date(2027, 8, 1), date(2028, 7, 31)),
    ],
)
def test_the_school_year_runs_from_1_august_to_31_july(day, label, start, end):
    year = school_year_of(day)

    assert (year.label, year.start, year.end) == (label, start, end)
    assert day in year
    assert year.start - timedelta(days=1) not in year and year.end + timedelta(days=1) not in year


def test_a_school_year_contains_only_dates():
    assert "2026-10-15" not in school_year_of(date(2026, 10, 15))


@pytest.mark.parametrize(
    ("instant", "today"),
    [
        (datetime(2026, 7, 15, 21, 59, tzinfo=UTC), date(2026, 7, 15)),  # 23:59 CEST
        (datetime(2026, 7, 15, 22, 0, tzinfo=UTC), date(2026, 7, 16)),  # midnight CEST
        (datetime(2026, 7, 15, 23, 30, tzinfo=UTC), date(2026, 7, 16)),  # 01:30 CEST
        (datetime(2026, 1, 15, 22, 59, tzinfo=UTC), date(2026, 1, 15)),  # 23:59 CET
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), date(2026, 1, 16)),  # 00:30 CET
        (datetime(2026, 7, 31, 22, 30, tzinfo=UTC), date(2026, 8, 1)),  # a new school year
    ],
)
def test_today_is_the_date_in_amsterdam(instant, today):
    assert local_today(FixedClock(instant)) == today


def test_a_fixed_clock_needs_an_aware_instant_and_moves_only_when_told():
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 10, 15, 8, 0))
    clock = FixedClock(datetime(2026, 10, 15, 10, 0, tzinfo=UTC))

    clock.advance(timedelta(days=2))

    assert clock.now() == datetime(2026, 10, 17, 10, 0, tzinfo=UTC)


# -- tokens ----------------------------------------------------------------------------------------


def coordinator() -> Principal:
    return Principal(uuid4(), Role.COORDINATOR, uuid4(), frozenset({uuid4(), uuid4()}), frozenset())


def test_a_token_carries_the_principal_and_its_scope():
    guardian = Principal(uuid4(), Role.GUARDIAN, uuid4(), frozenset(), frozenset({uuid4()}))
    service = Principal(uuid4(), Role.SERVICE, None)

    for who in (coordinator(), guardian, service):
        assert (
            verify_token(issue_token(who, SECRET, NOW), SECRET, NOW + timedelta(minutes=59)) == who
        )


def test_an_expired_token_is_refused():
    token = issue_token(coordinator(), SECRET, NOW, ttl=timedelta(hours=1))

    verify_token(token, SECRET, NOW + timedelta(minutes=59, seconds=59))
    for later in (timedelta(hours=1), timedelta(days=1)):
        with pytest.raises(InvalidToken):
            verify_token(token, SECRET, NOW + later)


def test_a_token_signed_with_another_secret_is_refused():
    token = issue_token(coordinator(), "another-secret-another-secret-12", NOW)

    with pytest.raises(InvalidToken):
        verify_token(token, SECRET, NOW)


def test_a_token_once_accepted_is_refused_when_its_key_is_rotated_out():
    """Tokens are checked once per process and remembered: by token and setting, so a key
    taken out of JWT_SECRET takes the tokens it signed with it."""
    who = coordinator()
    token = issue_token(who, SECRET, NOW)
    assert verify_token(token, f"new-secret-new-secret-new-secret!,{SECRET}", NOW) == who
    assert verify_token(token, SECRET, NOW) == who

    with pytest.raises(InvalidToken):
        verify_token(token, "new-secret-new-secret-new-secret!", NOW)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_tampered_token_is_refused():
    token = issue_token(coordinator(), SECRET, NOW)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    flipped = "A" if signature[0] != "A" else "B"

    forged_claims = _b64({**claims, "role": "admin"})
    for forged in (
        f"{header}.{forged_claims}.{signature}",
        f"{header}.{payload}.{flipped}{signature[1:]}",
    ):
        with pytest.raises(InvalidToken):
            verify_token(forged, SECRET, NOW)


def test_an_unsigned_token_is_refused():
    claims = {
        "iss": "passend-onderwijs",
        "sub": str(uuid4()),
        "role": "admin",
        "pid": str(uuid4()),
        "sch": [],
        "pup": [],
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    with pytest.raises(InvalidToken):
        verify_token(unsigned, SECRET, NOW)
    with pytest.raises(InvalidToken):
        verify_token(jwt.encode(claims, None, algorithm="none"), SECRET, NOW)
    # the same claims, signed, are accepted: the refusal above is about the algorithm
    assert (
        verify_token(jwt.encode(claims, SECRET, algorithm="HS256"), SECRET, NOW).role is Role.ADMIN
    )


def test_a_token_of_another_issuer_or_with_an_unknown_role_is_refused():
    good = {
        "iss": "passend-onderwijs",
        "sub": str(uuid4()),
        "role": "teacher",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + timedelta(hours=1)).timestamp()),
    }

    for claims in (
        {**good, "iss": "someone-else"},
        {**good, "role": "headmaster"},
        {**good, "sub": "x"},
    ):
        with pytest.raises(InvalidToken):
            verify_token(jwt.encode(claims, SECRET, algorithm="HS256"), SECRET, NOW)
    assert (
        verify_token(jwt.encode(good, SECRET, algorithm="HS256"), SECRET, NOW).role is Role.TEACHER
    )


def test_garbage_is_not_a_token():
    for token in ("", "not-a-token", "a.b.c"):
        with pytest.raises(InvalidToken):
            verify_token(token, SECRET, NOW)


# -- scopes ----------------------------------------------------------------------------------------

P, OTHER_P = UUID(int=1), UUID(int=2)
SCHOOL, OTHER_SCHOOL = UUID(int=10), UUID(int=11)
CHILD, OTHER_CHILD = UUID(int=100), UUID(int=101)


def who(role: Role, partnership: UUID | None = P) -> Principal:
    schools = (
        frozenset({SCHOOL})
        if role in (Role.DIRECTOR, Role.COORDINATOR, Role.TEACHER)
        else frozenset()
    )
    # A guardian's own child; the one pupil a teacher is assigned to.
    pupils = frozenset({CHILD}) if role in (Role.GUARDIAN, Role.TEACHER) else frozenset()
    return Principal(uuid4(), role, partnership, schools, pupils)


# Per role: sees school, sees school elsewhere in the partnership, sees own child's (a teacher:
# their assigned pupil's) record, sees another pupil of the school, writes the school's pupils.
SCOPES = {
    Role.ADMIN: (True, True, True, True, False),
    Role.CONSULTANT: (True, True, True, True, False),
    Role.DIRECTOR: (True, False, True, True, False),
    Role.COORDINATOR: (True, False, True, True, True),
    Role.TEACHER: (True, False, True, False, False),
    Role.GUARDIAN: (False, False, True, False, False),
    Role.SERVICE: (True, True, True, True, False),
}


@pytest.mark.parametrize("role", list(Role))
def test_what_each_role_sees_and_changes(role):
    school, elsewhere, child, other_child, writes = SCOPES[role]
    p = who(role, None if role is Role.SERVICE else P)

    assert p.sees_school(P, SCHOOL) is school
    assert p.sees_school(P, OTHER_SCHOOL) is elsewhere
    assert p.sees_pupil(P, SCHOOL, CHILD) is child
    assert p.sees_pupil(P, SCHOOL, OTHER_CHILD) is other_child
    assert p.writes_pupil(P, SCHOOL) is writes
    assert p.writes_pupil(P, OTHER_SCHOOL) is False
    assert p.administers(P) is (role is Role.ADMIN)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SERVICE])
def test_nobody_but_a_service_sees_into_another_partnership(role):
    p = who(role, OTHER_P)

    assert not p.sees_partnership(P)
    assert not p.sees_school(P, SCHOOL)
    assert not p.sees_pupil(P, SCHOOL, CHILD)
    assert not p.writes_pupil(P, SCHOOL)
    assert not p.administers(P)


# -- events ----------------------------------------------------------------------------------------


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_every_event_class_is_in_the_catalog_with_a_subject_field_of_its_own():
    # The catalog is derived from ALL_EVENTS (shared.events.case_events), so the fields agree by
    # construction; what can still go wrong is a class left out, or a subject it cannot name.
    concrete = {c for c in _subclasses(Event) if "type" in vars(c) and c.__module__ != __name__}
    assert set(ALL_EVENTS) == concrete
    assert len(ALL_EVENTS) == len({e.type for e in ALL_EVENTS})  # no type string used twice
    for event_type in ALL_EVENTS:
        spec = CATALOG[event_type.type]
        assert spec.subject_kind == event_type.subject_kind, event_type.type
        subject = SUBJECT_FIELD[event_type.subject_kind]
        assert subject in {f.name for f in dataclasses.fields(event_type)}, event_type.type


def test_a_payload_field_of_free_text_or_an_event_without_a_meaning_is_refused():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class NoteAdded(Event):
        """A note."""

        type: ClassVar[str] = "test.note_added"
        subject_kind: ClassVar[str] = "case"
        case_id: UUID
        note: str

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Undocumented(Event):
        type: ClassVar[str] = "test.undocumented"
        subject_kind: ClassVar[str] = "case"
        case_id: UUID

    with pytest.raises(TypeError, match="NoteAdded.note"):
        event_spec(NoteAdded)
    with pytest.raises(TypeError, match="Undocumented"):
        event_spec(Undocumented)


def test_a_derived_payload_schema_follows_the_type_hints():
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Probe(Event):
        """A probe."""

        type: ClassVar[str] = "test.probe"
        subject_kind: ClassVar[str] = "case"
        case_id: UUID
        level: Annotated[str, OneOf(("basic", "extra"))] | None
        count: Annotated[int, AtLeast(1)] = 1

    schema, case_id = event_spec(Probe).schema(), uuid4()
    assert list(schema.fields) == ["case_id", "level", "count"]
    assert schema.load({"case_id": str(case_id), "level": None}) == {
        "case_id": case_id,
        "level": None,
        "count": 1,
    }
    with pytest.raises(ValidationError) as err:
        schema.load({"level": "high", "count": 0})
    assert set(err.value.messages) == {"case_id", "level", "count"}


def envelope(**changes) -> Envelope:
    case_id, plan_id = uuid4(), uuid4()
    fields = {
        "id": uuid4(),
        "type": "development_plan.consent_recorded",
        "version": 1,
        "occurred_at": NOW,
        "partnership_id": uuid4(),
        "school_id": uuid4(),
        "subject": Subject("development_plan", plan_id),
        "data": {
            "case_id": case_id,
            "plan_id": plan_id,
            "action_plan_version": 2,
            "decision": "agreed",
            "recorded_on": date(2026, 9, 10),
            "requested_on": None,
            "channel": "paper",
        },
    }
    return Envelope(**{**fields, **changes})


def test_an_envelope_survives_a_json_round_trip():
    original = envelope()

    wire = original.to_json()

    assert Envelope.from_json(wire) == original
    assert Envelope.from_json(wire.encode()) == original
    raw = json.loads(wire)
    assert raw["occurred_at"].endswith("+00:00")
    assert raw["data"]["recorded_on"] == "2026-09-10"


def test_an_envelope_without_a_school_survives_too():
    original = envelope(school_id=None)

    assert Envelope.from_json(original.to_json()) == original


def test_an_unknown_type_or_version_is_refused():
    wire = json.loads(envelope().to_json())

    with pytest.raises(UnknownEventType):
        Envelope.from_json(json.dumps({**wire, "type": "case.teleported"}))
    with pytest.raises(UnknownEventType):
        Envelope.from_json(json.dumps({**wire, "version": 2}))


@pytest.mark.parametrize(
    "bad_data",
    [
        {"decision": "maybe"},  # not one of the codes
        {"plan_id": "not-a-uuid"},
        {"recorded_on": "10-09-2026"},
        {"action_plan_version": "two"},
        {"note": "Moeder huilde"},  # free text has no place in the payload
    ],
)
def test_a_bad_payload_is_refused(bad_data):
    wire = json.loads(envelope().to_json())
    wire["data"] = {**wire["data"], **bad_data}

    with pytest.raises(ValidationError) as err:
        Envelope.from_json(json.dumps(wire))

    assert "data" in err.value.messages


def test_a_missing_payload_field_or_a_naive_instant_is_refused():
    wire = json.loads(envelope().to_json())
    missing = {**wire, "data": {k: v for k, v in wire["data"].items() if k != "case_id"}}
    naive = {**wire, "occurred_at": "2026-10-15T08:00:00"}

    for raw in (missing, naive):
        with pytest.raises(ValidationError):
            Envelope.from_json(json.dumps(raw))


OLD_KEY = "old-key-old-key-old-key-old-key-old"  # 32 bytes at least, as for HS256
NEW_KEY = "new-key-new-key-new-key-new-key-new"


def test_a_rotated_jwt_secret_signs_with_the_new_key_and_still_accepts_the_old():
    principal = Principal(uuid4(), Role.COORDINATOR, uuid4(), frozenset({uuid4()}))
    now = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
    old_token = issue_token(principal, OLD_KEY, now)
    rotated = f"{NEW_KEY}, {OLD_KEY}"
    new_token = issue_token(principal, rotated, now)
    assert verify_token(old_token, rotated, now) == principal
    assert verify_token(new_token, rotated, now) == principal
    assert verify_token(new_token, NEW_KEY, now) == principal
    with pytest.raises(InvalidToken):
        verify_token(new_token, OLD_KEY, now)
    with pytest.raises(InvalidToken):
        verify_token(old_token, NEW_KEY, now)
    with pytest.raises(ValueError):
        issue_token(principal, " , ", now)


def test_signed_links_survive_a_key_rotation():
    from shared.signing import BadSignature, sign, unsign

    now = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
    link = sign({"g": "1"}, OLD_KEY, "preferences", now, timedelta(days=30))
    assert unsign(link, f"{NEW_KEY},{OLD_KEY}", "preferences", now)["g"] == "1"
    with pytest.raises(BadSignature):
        unsign(link, NEW_KEY, "preferences", now)
    with pytest.raises(BadSignature):
        unsign(link, f"{NEW_KEY},{OLD_KEY}", "calendar", now)


# Event payloads carry ids, codes, dates and numbers (issue 5, data minimisation). The names of a
# school and a partnership are the only texts allowed: an organisation's name is not personal data,
# and the reports service shows them.
PERSONAL_FIELDS = {
    "name",
    "first_name",
    "last_name",
    "birth_date",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "pupil_number",
    "bsn",
    "note",
    "notes",
    "text",
    "description",
    "location",
    "video_url",
}
ALLOWED_TEXT = {
    ("school.registered", "name"),
    ("school.registered", "brin"),
    ("partnership.registered", "name"),
}


def test_no_event_payload_can_carry_personal_data_or_free_text():
    from marshmallow import fields as mf
    from marshmallow import validate as mv

    checked = 0
    for spec in CATALOG.values():
        for name, field in spec.schema().fields.items():
            checked += 1
            if (spec.type, name) in ALLOWED_TEXT:
                continue
            assert name not in PERSONAL_FIELDS, (spec.type, name)
            inner = field.inner if isinstance(field, mf.List) else field
            if isinstance(inner, mf.String) and not isinstance(inner, (mf.UUID, mf.Email)):
                # A string must be a code or one of a fixed set, never free text.
                assert any(isinstance(v, (mv.Regexp, mv.OneOf)) for v in inner.validators), (
                    spec.type,
                    name,
                )
    assert checked > 50


def test_a_token_is_valid_only_when_issued_after_the_accounts_valid_after_instant() -> None:
    from datetime import UTC, datetime

    from shared.auth import Validity

    disabled_at = datetime(2026, 10, 15, 8, 0, 0, 500_000, tzinfo=UTC)
    same_second = datetime(2026, 10, 15, 8, 0, 0, tzinfo=UTC)  # a JWT's iat has whole seconds
    later = datetime(2026, 10, 15, 8, 0, 1, tzinfo=UTC)
    assert Validity(active=True).accepts(same_second)
    assert not Validity(active=False).accepts(later)
    assert not Validity(True, disabled_at).accepts(same_second)  # issued before, or during it
    assert Validity(True, disabled_at).accepts(later)
    assert not Validity(True, disabled_at).accepts(None)
    assert Validity.from_json(Validity(True, disabled_at).to_json()) == Validity(True, disabled_at)


def test_the_cases_domain_with_its_event_classes_loads_no_framework():
    # The event classes live in shared.events (issue 16); the package loads its marshmallow
    # part only on use, so the domain stays plain Python (STYLE.md §1).
    code = (
        "import importlib, pkgutil, sys\n"
        "import services.cases.domain as domain\n"
        "for module in pkgutil.iter_modules(domain.__path__):\n"
        "    importlib.import_module('services.cases.domain.' + module.name)\n"
        "frameworks = {'marshmallow', 'flask', 'sqlalchemy', 'celery', 'redis'}\n"
        "print(sorted(frameworks & set(sys.modules)))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert (out.returncode, out.stdout.strip()) == (0, "[]"), out.stderr
