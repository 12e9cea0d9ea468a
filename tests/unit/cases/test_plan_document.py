"""The OPP document's values (domain/plan_document.py): the reader's language, every fixed text
in all six languages, the consent record by guardian name, and an unknown code shown as it is."""

from __future__ import annotations

from datetime import date

import pytest

from services.cases.domain import plan_document as doc
from services.cases.domain.plan_texts import LABELS, LANGUAGES, TEXTS
from shared.pdf import attachment

PLAN = {
    "status": "active",
    "exit_destination": "vmbo_kb",
    "hindering_factors": ["Leest langzaam"],
    "supporting_factors": ["Gemotiveerd"],
    "action_plan": "Elke dag samen lezen.",
    "action_plan_version": 2,
    "deviations": None,
    "agreed_end_date": "2027-07-01",
    "created_on": "2026-09-15",
    "scenarios": [{"expected_effect": "AVI E4", "review_by": "2027-01-15"}],
    "consultation_on": "2026-09-20",
    "consultation_participants": ["Ouder", "IB'er"],
    "pupil_view_on": None,
    "consents": [
        {
            "action_plan_version": 2,
            "decision": "agreed",
            "recorded_on": "2026-10-15",
            "recorded_at": "2026-10-15T08:00:00+00:00",
            "guardian_ids": ["g-1", "g-unknown"],
            "channel": "online",
            "content_hash": "ab" * 32,
        }
    ],
    "evaluations": [
        {"due_on": "2026-12-01", "status": "scheduled", "meeting": None},
        {
            "due_on": "2027-03-01",
            "status": "held",
            "held_on": "2027-02-27",
            "decision": "new_code",
            "meeting": {"starts_at": "2027-02-25T13:00:00+00:00", "duration_minutes": 45},
        },
    ],
}
PUPIL = doc.Pupil("Noor", "Bakker", date(2017, 5, 1), "groep 4", {"g-1": "Ouder Bakker"})


def test_every_fixed_text_is_there_in_every_language():
    for key, texts in TEXTS.items():
        assert len(texts) == len(LANGUAGES) and all(t.strip() for t in texts), key
    for kind, codes in LABELS.items():
        for code, texts in codes.items():
            assert len(texts) == len(LANGUAGES) and all(t.strip() for t in texts), (kind, code)


@pytest.mark.parametrize(
    ("asked", "accepted", "chosen"),
    [
        ("ar", ["en"], "ar"),
        (None, ["de-DE", "tr-TR", "en"], "tr"),
        (None, ["uk_UA"], "uk"),
        (None, ["fr", "de"], "nl"),
        (None, [], "nl"),
    ],
)
def test_the_readers_language(asked, accepted, chosen):
    assert doc.choose_language(asked, accepted) == chosen


def test_the_values_in_the_readers_language():
    values = doc.document(PLAN, PUPIL, "De Regenboog", "extra", [], "ar", date(2026, 10, 16))
    assert values["dir"] == "rtl" and values["lang"] == "ar"
    assert values["t"]["action_plan"] == "خطة العمل"
    assert values["support_level"] == "الدعم الإضافي"
    assert values["exit_destination"] == "vmbo kaderberoepsgerichte leerweg"  # Dutch school type
    [consent] = values["consents"]
    assert consent["who"] == "Ouder Bakker, g-unknown"
    assert consent["when"] == "15-10-2026 10:00"  # Amsterdam time
    assert consent["hash"] == "ab" * 32
    assert [e["decision"] for e in values["evaluations"]] == ["مجدول", "new_code"]
    assert values["meetings"] == [
        {"starts_at": "25-02-2027 14:00", "duration": "45", "location": "–", "cancelled": ""}
    ]
    assert values["parents_view"] is None
    english = doc.document(PLAN, PUPIL, "De Regenboog", "extra", [], "en", date(2026, 10, 16))
    assert english["dir"] == "ltr" and english["exit_destination"] == "vmbo advanced vocational"


def test_the_parents_view_when_the_plan_has_one():
    with_view = {**PLAN, "parents_view": "Noor leest thuis graag voor."}
    values = doc.document(with_view, PUPIL, "School", "extra", [], "nl", date(2026, 10, 16))
    assert values["parents_view"] == "Noor leest thuis graag voor."


def test_the_file_name_is_plain_ascii():
    assert attachment("OPP-1a2b3c4d-2026-10-16.pdf") == {
        "Content-Disposition": 'attachment; filename="OPP-1a2b3c4d-2026-10-16.pdf"'
    }
    assert attachment('x"; evil.pdf') == {"Content-Disposition": 'attachment; filename="xevil.pdf"'}


def test_a_school_text_keeps_its_own_direction():
    assert doc.direction("Dagelijks lezen.") == "ltr"
    assert doc.direction("20 minuten") == "ltr"  # the first letter decides, not the digits
    assert doc.direction("«خطة» plan") == "rtl"
    assert doc.direction("2027-01-15") == "ltr" and doc.direction(None) == "ltr"
