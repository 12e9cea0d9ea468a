"""The decision letter on a TLV application (issue 14): GET .../application/decision-letter.pdf
renders a tagged PDF, read back with poppler-utils' pdftotext (a tool independent of the one that
writes it): the decision, the type and category, the validity, the advices, the flag of a
submission without the parents' agreement, and the way to object — bezwaar within six weeks to the
partnership, advice by the Landelijke Bezwaaradviescommissie Passend Onderwijs (Onderwijsgeschillen)
— in Dutch and in English, and in Turkish, Arabic (right to left), Polish and Ukrainian as the
OPP. Not before the decision; for the parent as for the partnership."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from services.cases.domain.plan_texts import LANGUAGES
from services.cases.domain.tlv_letter_texts import TEXTS
from tests.integration.cases.test_plan_document import readable
from tests.support import api_flows as f
from tests.support.api_flows import NothingWritten, assert_error
from tests.support.tlv_flows import (
    CONSULTANT,
    COORD,
    GRANT,
    PARENT,
    advise,
    app_path,
    make_referral,
    submitted,
)


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    assert shutil.which("pdftotext"), "pdftotext missing: run scripts/ensure-system-libs"


@pytest.fixture
def referral(world) -> dict[str, Any]:
    return make_referral(world)


def text_of(response: Any, tmp_path: Path) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="TLV-besluit-[0-9a-f]{8}\.pdf"', disposition)
    pdf = tmp_path / f"letter-{len(list(tmp_path.iterdir()))}.pdf"
    pdf.write_bytes(response.get_data())
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    # Without the bidi marks pdftotext puts around right-to-left runs (U+202A-U+202E).
    return " ".join(re.sub("[\u202a-\u202e]", "", out).split())


def decided(world, referral: dict[str, Any], body: dict[str, Any]) -> None:
    submitted(world, referral)
    advise(world, referral, "orthopedagoog")
    advise(world, referral, "deskundige")
    f.call_ok(world, CONSULTANT, "POST", app_path(referral, "/decision"), 200, json=body)


def test_a_granted_letter_in_dutch_and_english(world, container, referral, tmp_path):
    letter = app_path(referral, "/decision-letter.pdf")
    submitted(world, referral)
    with NothingWritten(container):
        assert_error(world.call(PARENT, "GET", letter), 409, "application_not_decided")
    advise(world, referral, "orthopedagoog")
    advise(world, referral, "deskundige")
    f.call_ok(world, CONSULTANT, "POST", app_path(referral, "/decision"), 200, json=GRANT)

    dutch = text_of(world.call(PARENT, "GET", letter), tmp_path)
    for expected in (
        "Besluit op de aanvraag van een toelaatbaarheidsverklaring",
        f"TLV-{referral['id'][:8]}",
        "Kind a1 Test",
        "School A1",
        "SWV A geeft een toelaatbaarheidsverklaring af.",
        "speciaal onderwijs (SO)",
        "hoog (categorie 3)",
        "van 01-11-2026 tot en met 31-07-2028",
        "Orthopedagoog, advies van 15-10-2026",
        "zonder instemming van de ouders",
        "binnen zes weken",
        "bezwaar maken bij SWV A",
        "Landelijke Bezwaaradviescommissie Passend Onderwijs",
        "Onderwijsgeschillen",
    ):
        assert expected in dutch, expected
    english = text_of(world.call(COORD, "GET", f"{letter}?lang=en"), tmp_path)
    for expected in (
        "Decision on the application for an admission statement",
        "SWV A grants an admission statement.",
        "special school (SO)",
        "high (category 3)",
        "from 01-11-2026 up to and including 31-07-2028",
        "within six weeks",
        "Landelijke Bezwaaradviescommissie Passend Onderwijs",
    ):
        assert expected in english, expected
    accepted = world.call(CONSULTANT, "GET", letter, headers={"Accept-Language": "en-GB,nl"})
    assert "How to object" in text_of(accepted, tmp_path)
    polish = world.call(PARENT, "GET", letter, headers={"Accept-Language": "de, pl;q=0.8"})
    assert "W imieniu SWV A" in text_of(polish, tmp_path)
    assert_error(world.call(PARENT, "GET", f"{letter}?lang=fr"), 422, None, "lang")
    assert_error(world.call("coordinator_a2", "GET", letter), 404, "not_found")


def test_a_refusal_names_no_type_and_still_the_way_to_object(world, referral, tmp_path):
    decided(world, referral, {"decision": "refused"})
    text = text_of(world.call(PARENT, "GET", app_path(referral, "/decision-letter.pdf")), tmp_path)
    assert "SWV A geeft geen toelaatbaarheidsverklaring af." in text
    assert "Soort onderwijs" not in text and "Geldig" not in text
    assert "Landelijke Bezwaaradviescommissie" in text


def fixed(key: str, lang: str) -> str:
    return TEXTS[key][LANGUAGES.index(lang)]


def test_a_letter_in_turkish_and_ukrainian_keeps_names_and_legal_terms(world, referral, tmp_path):
    decided(world, referral, GRANT)
    letter = app_path(referral, "/decision-letter.pdf")
    turkish = text_of(world.call(PARENT, "GET", f"{letter}?lang=tr"), tmp_path)
    for expected in (
        "Kabul belgesi (TLV) başvurusu hakkında karar",
        "SWV A kabul belgesini (TLV) veriyor.",
        "özel eğitim okulu (SO)",
        "yüksek (kategori 3)",
        "01-11-2026 tarihinden 31-07-2028 tarihine kadar (dahil)",
        "Eğitim psikoloğu (orthopedagoog), 15-10-2026 tarihli görüş",
        "velilerin onayı olmadan",
        "altı hafta içinde",
        "itiraz (bezwaar)",
        "Kind a1 Test",  # the names as written
        "School A1",
        "Landelijke Bezwaaradviescommissie Passend Onderwijs",
        "SWV A adına",
    ):
        assert expected in turkish, expected
    assert "Besluit" not in turkish and "toelaatbaarheidsverklaring af" not in turkish
    ukrainian = text_of(world.call(PARENT, "GET", f"{letter}?lang=uk"), tmp_path)
    for key in ("decision", "advices", "objection", "no_agreement"):
        assert fixed(key, "uk") in ukrainian, key
    assert "SWV A видає довідку про допуск (TLV)." in ukrainian
    assert "з 01-11-2026 до 31-07-2028 включно" in ukrainian


def words_at(pdf: bytes, tmp_path: Path) -> list[tuple[str, float, float]]:
    """Every word of page 1 with its left and right edge (pdftotext -bbox), in visual order."""
    saved = tmp_path / "bbox.pdf"
    saved.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", str(saved), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html
    )
    return [(w, float(left), float(right)) for left, right, w in found]


def test_an_arabic_letter_reads_right_to_left(world, referral, tmp_path):
    decided(world, referral, {"decision": "refused"})
    letter = app_path(referral, "/decision-letter.pdf")
    response = world.call(PARENT, "GET", f"{letter}?lang=ar")
    text = text_of(response, tmp_path)
    assert "قرار بشأن طلب إفادة القبول" in text  # the title; "(TLV)" a left-to-right run in it
    for key in ("reference", "pupil", "decision", "advices", "objection", "no_agreement"):
        assert readable(fixed(key, "ar")) in text, (key, fixed(key, "ar"))
    for written in ("Kind a1 Test", "School A1", "SWV A", "Onderwijsgeschillen"):
        assert written in text, written
    assert "Soort onderwijs" not in text and readable(fixed("type", "ar")) not in text
    # Laid out right to left: the title's first word ends at the right margin (A4 is 595 pt
    # wide, 20 mm margins), where the Dutch title starts at the left one.
    first = next(r for w, _, r in words_at(response.get_data(), tmp_path) if "قرار" in (w, w[::-1]))
    assert first > 595 - 56.7 - 5, first
    # The pupil's name keeps its own direction: given name left of family name.
    words = words_at(response.get_data(), tmp_path)
    kind = next(x for w, x, _ in words if w == "Kind")
    test = next(x for w, x, _ in words if w == "Test")
    assert kind < test
    dutch = world.call(PARENT, "GET", letter).get_data()
    left = next(x for w, x, _ in words_at(dutch, tmp_path) if w == "Besluit")
    assert left < 56.7 + 5, left
