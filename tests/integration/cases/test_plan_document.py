"""The OPP as a document (issue 13): GET /api/v1/development-plans/<id>/document.pdf renders a
tagged PDF (checked by poppler-utils, tools independent of the one that writes it): turned into an
image it is not blank; its text holds every part of the plan in order, the school's texts as
written, the consent record, evaluations and meetings; the fixed headings come in the reader's
language (Arabic right to left); it is read in the plan's scope and audited as a read."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from services.cases.domain.plan_texts import LANGUAGES, TEXTS
from tests.integration.reports.test_pdf_accessibility import NoPango
from tests.support.api_flows import (
    assert_error,
    call_ok,
    evaluate_intervention,
    open_case,
    plan_action,
    ready_plan,
    register_pupil,
    request_consent,
    start_intervention,
)

TOOLS = ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts")
ARTIFACTS = Path("test-artifacts/cases")
ACTION_PLAN = "Dagelijks 20 minuten extra leesinstructie in een klein groepje."
DEVIATIONS = "Minder uren Frans; in plaats daarvan rekenen."
NOTE = "Lezen gaat beter; tempo nog laag."
# The parts in the order the document shows them, as the heading keys of plan_texts.py.
PARTS = (
    "title",
    "pupil",
    "school",
    "support_need",
    "exit",
    "factors",
    "hindering",
    "supporting",
    "action_plan",
    "deviations",
    "scenarios",
    "agreements",
    "consent",
    "evaluations",
    "meetings",
)


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"{missing} missing: run scripts/ensure-system-libs (poppler-utils)"


def run(*args: str | Path) -> str:
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture
def plan(world) -> dict:
    """Pupil a1 of school A1: a basic intervention that did not work, a plan with deviations,
    consultation and pupil heard, agreed online by the guardian, the December evaluation held early
    (continue), and a meeting for the March one."""
    case = open_case(world, "a1")
    first = start_intervention(world, case["id"])
    evaluate_intervention(world, first["id"])
    plan = ready_plan(world, case["id"], deviations=DEVIATIONS)
    request_consent(world, plan["id"])
    seen = call_ok(world, "guardian_a1", "GET", f"/api/v1/development-plans/{plan['id']}", 200)
    body = {"decision": "agreed", "content_hash": seen["action_plan_hash"]}
    path = f"/api/v1/development-plans/{plan['id']}/online-consent"
    call_ok(world, "guardian_a1", "POST", path, 200, json=body)
    december, march = sorted(seen["evaluations"], key=lambda e: e["due_on"])
    meeting = f"/api/v1/development-plans/{plan['id']}/evaluations/{march['id']}/meeting"
    body = {
        "starts_at": "2027-02-25T14:00:00+01:00",
        "duration_minutes": 45,
        "location": "Lokaal 3",
    }
    call_ok(world, "coordinator_a1", "PUT", meeting, 200, json=body)
    evaluation = {
        "evaluation_id": december["id"],
        "held_on": "2026-10-15",
        "decision": "continue",
        "note": NOTE,
        "next_evaluation_on": "2027-03-01",
    }
    plan_action(world, plan["id"], "evaluation", evaluation)
    return call_ok(world, "coordinator_a1", "GET", f"/api/v1/development-plans/{plan['id']}", 200)


def download(world, who: str, plan_id: str, tmp_path: Path, **kwargs) -> Path:
    response = world.call(who, "GET", f"/api/v1/development-plans/{plan_id}/document.pdf", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="OPP-[0-9a-f]{8}-\d{4}-\d\d-\d\d\.pdf"', disposition)
    assert "no-store" in response.headers["Cache-Control"]
    out = tmp_path / f"{who}-{len(list(tmp_path.iterdir()))}.pdf"
    out.write_bytes(response.get_data())
    return out


def ink(pdf: Path, tmp_path: Path, name: str) -> float:
    """The share of page 1's pixels that are not white, rendered by pdftoppm (a copy kept in
    test-artifacts/cases/ for a reader of the CI run)."""
    prefix = tmp_path / name
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, prefix)
    image = Image.open(f"{prefix}.png").convert("L")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"opp-{name}.png")
    histogram = image.histogram()  # pixels per grey level, 0 black to 255 white
    return sum(histogram[:200]) / sum(histogram)


def plain(pdf: Path) -> str:
    """The PDF's text on one line, without the bidi marks pdftotext puts around right-to-left
    runs (U+202A-U+202E)."""
    text = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    return " ".join(re.sub("[\u202a-\u202e]", "", text).split())


def readable(arabic: str) -> str:
    """A text as pdftotext reads it back: the lam-alef ligature (one glyph for ل and ا) comes out
    as its two letters the other way round."""
    return arabic.replace("\u0644\u0627", "\u0627\u0644")


def heading(key: str, lang: str) -> str:
    return TEXTS[key][LANGUAGES.index(lang)]


def test_the_document_holds_every_part_in_order(world, plan, tmp_path):
    pdf = download(world, "coordinator_a1", plan["id"], tmp_path)
    assert ink(pdf, tmp_path, "nl") > 0.01  # not blank: headings, tables and text drawn

    words = run("pdftotext", "-enc", "UTF-8", pdf, "-")
    flat = " ".join(words.split())
    places = [flat.find(heading(key, "nl")) for key in PARTS]
    assert -1 not in places, dict(zip(PARTS, places, strict=True))
    assert places == sorted(places), dict(zip(PARTS, places, strict=True))
    # The plan's own content, as the school wrote it.
    for value in (
        "Kind a1 Test",
        "01-05-2017",
        "School A1",
        "Extra ondersteuning",
        "Leesproblemen en dyslexie",
        "Regulier basisonderwijs",
        "Leest langzaam",
        "Betrokken ouders",
        ACTION_PLAN,
        DEVIATIONS,
        "AVI E4 gehaald",
        "15-01-2027",
        "Ouder, IB'er, Leerkracht",
        NOTE,
        "Doorgaan met het OPP",
        "Lokaal 3",
        "25-02-2027 14:00",
    ):
        assert value in flat, value
    # The consent record: who, the decision, the channel and the hash of the version read.
    consent = plan["consents"][-1]
    assert consent["channel"] == "online"
    record = flat[flat.find(heading("consent", "nl")) : flat.find(heading("evaluations", "nl"))]
    for value in ("Ouder a1", "Ingestemd", "Online", consent["content_hash"][:16]):
        assert value in record.replace(" ", "") or value in record, (value, record)


def test_the_pdf_is_tagged_with_every_font_embedded(world, plan, tmp_path):
    pdf = download(world, "coordinator_a1", plan["id"], tmp_path)
    info = run("pdfinfo", pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+Ontwikkelingsperspectiefplan", info, re.M), info
    assert re.search(r"pdfuaid:part\W+1", run("pdfinfo", "-meta", pdf))
    fonts = run("pdffonts", pdf).splitlines()[2:]
    assert fonts
    for line in fonts:
        assert line.split()[-5] == "yes", line  # emb


@pytest.mark.parametrize("lang", ["en", "tr", "ar", "pl", "uk"])
def test_the_headings_come_in_the_readers_language(world, plan, tmp_path, lang):
    pdf = download(world, "guardian_a1", plan["id"], tmp_path, query_string={"lang": lang})
    assert ink(pdf, tmp_path, lang) > 0.01
    flat = plain(pdf)
    for key in ("pupil", "support_need", "action_plan", "scenarios", "consent", "evaluations"):
        assert readable(heading(key, lang)) in flat, (key, heading(key, lang))
    assert ACTION_PLAN.rstrip(".") in flat  # the school's text as written, in any language
    assert heading("action_plan", "nl") not in flat
    fonts = run("pdffonts", pdf).splitlines()[2:]
    assert all(line.split()[-5] == "yes" for line in fonts), fonts


def words_at(pdf: Path) -> list[tuple[str, float, float]]:
    """Every word of page 1 with its left and right edge (pdftotext -bbox)."""
    html = run("pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", pdf, "-")
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html
    )
    return [(w, float(left), float(right)) for left, right, w in found]


def test_arabic_reads_right_to_left(world, plan, tmp_path):
    pdf = download(world, "guardian_a1", plan["id"], tmp_path, query_string={"lang": "ar"})
    text = plain(pdf)
    assert "خطة منظور النمو" in text  # the title; "(OPP)" is a left-to-right run inside it
    for key in ("pupil", "action_plan", "consent", "evaluations", "meetings"):
        assert readable(heading(key, "ar")) in text, (key, heading(key, "ar"))
    # Laid out right to left: the title's first word starts at the right margin (A4 is 595 pt
    # wide, 16 mm margins), where a Dutch title starts at the left one.
    # (-bbox lists words in visual order: an Arabic word's letters come out the other way round)
    first = next(r for w, _, r in words_at(pdf) if "خطة" in (w, w[::-1]))
    assert first > 595 - 45.4 - 5, first
    # The school's Dutch text keeps its own direction: its full stop after the last word.
    words = [w for w, _, _ in words_at(pdf)]
    assert "groepje." in words and ".Dagelijks" not in words, words
    dutch = download(world, "guardian_a1", plan["id"], tmp_path, query_string={"lang": "nl"})
    left = next(x for w, x, _ in words_at(dutch) if w == "Ontwikkelingsperspectiefplan")
    assert left < 45.4 + 5, left


def test_accept_language_chooses_when_no_lang_is_given(world, plan, tmp_path):
    polish = {"Accept-Language": "de-DE, pl;q=0.8, en;q=0.5"}
    pdf = download(world, "guardian_a1", plan["id"], tmp_path, headers=polish)
    assert heading("action_plan", "pl") in run("pdftotext", "-enc", "UTF-8", pdf, "-")
    unknown = {"Accept-Language": "de-DE, fr"}
    pdf = download(world, "guardian_a1", plan["id"], tmp_path, headers=unknown)
    assert heading("action_plan", "nl") in run("pdftotext", "-enc", "UTF-8", pdf, "-")
    path = f"/api/v1/development-plans/{plan['id']}/document.pdf"
    assert_error(world.call("guardian_a1", "GET", path, query_string={"lang": "xx"}), 422)


def test_read_in_the_plans_scope_and_audited(world, plan, container, tmp_path, client):
    path = f"/api/v1/development-plans/{plan['id']}/document.pdf"
    for who in ("coordinator_a1", "director_a1", "consultant_a", "guardian_a1"):
        assert world.call(who, "GET", path).status_code == 200, who
    # Another family's guardian, a teacher not assigned to the pupil, another school, another
    # partnership: the plan does not exist for them.
    other_family = ready_plan(world, open_case(world, "a1_other")["id"])
    assert_error(
        world.call("guardian_a1", "GET", path.replace(plan["id"], other_family["id"])), 404
    )
    for who in ("teacher_a1", "coordinator_a2", "coordinator_b1"):
        assert_error(world.call(who, "GET", path), 404)
    with container.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT role, action, status, resource_id FROM audit_log WHERE endpoint = :e"),
            {"e": "/api/v1/development-plans/<uuid:plan_id>/document.pdf"},
        ).all()
    assert [(r.role, r.action, r.status) for r in rows] == [
        ("coordinator", "read", 200),
        ("director", "read", 200),
        ("consultant", "read", 200),
        ("guardian", "read", 200),
        ("guardian", "read", 404),
        ("teacher", "read", 404),
        ("coordinator", "read", 404),
        ("coordinator", "read", 404),
    ]
    assert [str(uuid.UUID(str(r.resource_id))) for r in rows].count(other_family["id"]) == 1


def test_a_teacher_reads_the_plan_of_a_pupil_assigned_to_them(world, tmp_path):
    teacher = str(world.users["teacher_a1"])
    register_pupil(world, "Fenna", staff=[{"user_id": teacher, "role": "teacher"}])
    plan = ready_plan(world, open_case(world, "Fenna")["id"])
    pdf = download(world, "teacher_a1", plan["id"], tmp_path)
    assert "Fenna Test" in plain(pdf)


def test_the_same_plan_gives_the_same_bytes(world, plan):
    path = f"/api/v1/development-plans/{plan['id']}/document.pdf"
    first = world.call("coordinator_a1", "GET", path).get_data()
    assert world.call("coordinator_a1", "GET", path).get_data() == first


def test_without_its_system_libraries_the_pdf_is_a_503_and_the_plan_still_reads(
    world, plan, monkeypatch
):
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    path = f"/api/v1/development-plans/{plan['id']}"
    response = world.call("coordinator_a1", "GET", f"{path}/document.pdf")
    assert_error(response, 503, "pdf_unavailable")
    assert "libpango-1.0-0" in response.json["message"]
    assert world.call("coordinator_a1", "GET", path).status_code == 200
