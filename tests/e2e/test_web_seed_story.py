"""The seed's whole story in Chromium, as the IB'er of OBS De Regenboog: a basic reading
intervention that does not work, an OPP with two scenarios, the OOGO, the pupil heard, consent
received on paper, the evaluation meeting, the evaluation and the referral to sbo. Then the
Redis Stream holds exactly the events of the API-level seed test (tests/e2e/test_seed_story.py),
and the one this walk adds on top: the evaluation meeting it plans.

The school, its SOP, the IB'er's account and the pupil are set up over the API, as the seed test
does (`seed_school`). Every page is screenshotted to test-artifacts/web/seed-*.png and checked
with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from uuid import UUID

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import CasesStack, new_walk, start_web
from tests.e2e.test_seed_story import COORDINATOR_PASSWORD, EXPECTED, published, seed_school

# The seed test plans no meeting; the walk does, once the plan is active (before evaluating).
# The meeting still lies ahead when the walk records the evaluation, so the evaluation cancels it
# (its invitees get the calendar CANCEL: issue 11, item 17).
_ACTIVE = EXPECTED.index("case.level_changed") + 1
_EVALUATED = EXPECTED.index("development_plan.evaluated") + 1
WALK_EXPECTED = [
    *EXPECTED[:_ACTIVE],
    "development_plan.meeting_planned",
    *EXPECTED[_ACTIVE:_EVALUATED],
    "development_plan.meeting_cancelled",
    *EXPECTED[_EVALUATED:],
]


def _title(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _notice(page: Page, text: str) -> None:
    expect(page.locator(".notice")).to_contain_text(text)


def download_plan(page: Page, link: Locator, folder: Path) -> str:
    """Click the plan's PDF link: a download named by ids only, whose text (pdftotext) holds the
    plan's parts; its text is returned."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"OPP-[0-9a-f]{8}-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
    saved = folder / download.suggested_filename
    download.save_as(saved)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(saved), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for heading in ("Ontwikkelingsperspectiefplan", "Handelingsdeel", "Instemming van de ouders"):
        assert heading in text, heading
    return text


def test_the_seed_story_in_chromium(
    cases_stack: CasesStack, chromium: Browser, tmp_path: Path
) -> None:
    seed = seed_school(cases_stack)
    web_url = start_web(cases_stack)
    walk = new_walk(chromium, "seed-*.png")  # the screenshots show this run only
    page, context = walk.page, walk.page.context

    # -- log in; Sanne has no case yet -------------------------------------------------------
    page.goto(f"{web_url}/leerlingen/{seed.pupil['id']}")
    page.get_by_label("E-mailadres").fill("ib@regenboog.test")
    page.get_by_label("Wachtwoord").fill(COORDINATOR_PASSWORD)
    walk.check("seed-01-inloggen")
    page.get_by_role("button", name="Inloggen").click()
    _title(page, "Sanne de Vries")
    walk.check("seed-02-leerling")
    page.get_by_role("link", name="Traject openen").click()
    page.get_by_label("Startdatum van het traject").fill("2026-09-01")
    walk.check("seed-03-traject-openen")
    page.get_by_role("button", name="Traject openen").click()
    _title(page, "Traject van Sanne de Vries")
    case_id = page.url.rsplit("/", 1)[1]
    walk.check("seed-04-traject")

    # -- the basic reading intervention, evaluated: not effective --------------------------------
    page.get_by_role("link", name="Interventie starten").click()
    page.get_by_label("Domein").select_option(label="Leesproblemen en dyslexie")
    page.get_by_label("Doel").fill("Technisch lezen op AVI M3-niveau")
    page.get_by_label("Startdatum").fill("2026-09-01")
    page.get_by_label("Evalueren uiterlijk op").fill("2026-10-13")
    walk.check("seed-05-interventie-starten")
    page.get_by_role("button", name="Interventie starten").click()
    _notice(page, "De interventie is gestart.")
    page.locator("#interventions").get_by_role("link", name=re.compile("Evalueren")).click()
    page.get_by_label("niet effectief", exact=True).check()
    page.get_by_label("Datum van de evaluatie").fill("2026-10-14")
    walk.check("seed-06-interventie-evalueren")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.locator("#timeline")).to_contain_text(
        "Interventie Leesproblemen en dyslexie geëvalueerd: niet effectief."
    )
    walk.check("seed-07-traject-na-evaluatie")

    # -- the OPP: two scenarios (a third row added and left empty), once refused at the field ----
    page.get_by_role("link", name="OPP opstellen").click()
    _title(page, "OPP opstellen")
    expect(page.get_by_label("Datum van het OPP")).to_have_value("2026-10-15")
    walk.check("seed-08-opp-opstellen")
    page.get_by_label("Uitstroombestemming").select_option(label="Regulier basisonderwijs")
    page.get_by_label("Belemmerende factoren").fill("Ernstige leesachterstand\nFaalangst")
    page.get_by_label("Bevorderende factoren").fill("Sterk mondeling taalbegrip\nBetrokken ouders")
    page.get_by_label("Handelingsdeel", exact=True).fill(
        "Dagelijks 20 minuten intensieve leesbegeleiding in een klein groepje."
    )
    page.locator("#f-scenarios-0-expected_effect").fill("Leest AVI M3 vlot")
    page.locator("#f-scenarios-0-review_by").fill("2027-01-29")
    page.locator("#f-scenarios-1-expected_effect").fill("Leest AVI E3 vlot")
    page.locator("#f-scenarios-1-review_by").fill("2027-08-27")  # after the end date: refused
    page.get_by_label("Afgesproken einddatum").fill("2027-07-09")
    page.get_by_label("Evaluatiedatum 1").fill("2027-01-29")
    page.get_by_label("Evaluatiedatum 2").fill("2027-06-25")
    page.get_by_role("button", name="Nog een scenario toevoegen").click()
    expect(page.locator("#f-scenarios-2-expected_effect")).to_be_visible()
    expect(page.locator("#f-scenarios-1-expected_effect")).to_have_value("Leest AVI E3 vlot")
    walk.check("seed-09-opp-scenario-toegevoegd")
    page.get_by_role("button", name="OPP opslaan").click()
    expect(page).to_have_title(re.compile(r"^Fout: OPP opstellen"))
    expect(page.locator("#f-scenarios-1-review_by-error")).to_contain_text(
        "niet na de afgesproken einddatum"
    )
    walk.check("seed-10-opp-fout")
    page.locator(".error-summary a").first.click()
    expect(page.locator("#f-scenarios-1-review_by")).to_be_focused()
    page.locator("#f-scenarios-1-review_by").fill("2027-06-25")
    page.get_by_role("button", name="OPP opslaan").click()
    _notice(page, "Het OPP is opgesteld.")
    _title(page, "OPP van Sanne de Vries")
    expect(page.locator("#consent-state")).to_have_text("Nog niet gevraagd.")
    expect(page.locator("#scenarios tbody tr")).to_have_count(2)
    walk.check("seed-11-opp")

    # -- OOGO, the pupil heard, consent asked and received on paper ------------------------------
    page.get_by_role("link", name="OOGO vastleggen").click()
    page.get_by_label("Wie waren erbij?").fill("ouders\nintern begeleider\nleerkracht")
    walk.check("seed-12-oogo")
    page.get_by_role("button", name="OOGO vastleggen").click()
    _notice(page, "Het OOGO is vastgelegd.")
    page.get_by_role("link", name="Vastleggen dat de leerling is gehoord").click()
    walk.check("seed-13-leerling-gehoord")
    page.get_by_role("button", name="Vastleggen").click()
    _notice(page, "Vastgelegd dat de leerling is gehoord.")
    page.get_by_role("link", name="Instemming vragen").click()
    walk.check("seed-14-instemming-vragen")
    page.get_by_role("button", name="Instemming vragen").click()
    expect(page.locator("#consent-state")).to_contain_text("Instemming gevraagd op 15 oktober")
    walk.check("seed-15-opp-wacht-op-instemming")
    page.get_by_role("link", name="Instemming op papier vastleggen").click()
    page.get_by_label("ouders stemmen in", exact=True).check()
    expect(page.get_by_label("Ouder de Vries")).to_be_checked()
    walk.check("seed-16-instemming-op-papier")
    page.get_by_role("button", name="Antwoord vastleggen").click()
    expect(page.locator("#consent-state")).to_contain_text(
        "De ouders stemmen in met het handelingsdeel (versie 1, 15 oktober 2026)."
    )
    expect(page.locator("#plan-state")).to_contain_text("loopt")
    walk.check("seed-17-opp-loopt")
    download_plan(page, page.get_by_role("link", name="Het plan als PDF downloaden"), tmp_path)

    # -- the evaluation meeting, then the evaluation: refer to sbo -------------------------------
    page.locator("#evaluations").get_by_role(
        "link", name=re.compile("Gesprek plannen")
    ).first.click()
    _title(page, "Evaluatiegesprek plannen")
    page.get_by_label("Begintijd").fill("15:30")
    page.get_by_label("Plaats").fill("Kamer van de IB'er")
    walk.check("seed-18-gesprek-plannen")
    page.get_by_role("button", name="Gesprek plannen").click()
    _notice(page, "Het evaluatiegesprek is gepland.")
    expect(page.locator("#evaluations")).to_contain_text("29 januari 2027 om 15:30, 45 minuten")
    page.get_by_role("link", name="OPP evalueren").click()
    page.get_by_label("verwijzen", exact=True).check()
    page.get_by_label("Verwijzen naar").select_option(label="Speciaal basisonderwijs (sbo)")
    walk.check("seed-19-opp-evalueren")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    _notice(page, "De evaluatie van het OPP is vastgelegd.")
    expect(page.locator("#referrals")).to_contain_text(
        "Verwezen naar Speciaal basisonderwijs (sbo)"
    )
    walk.check("seed-20-opp-verwezen")
    page.get_by_role("link", name="Terug naar het traject").click()
    expect(page.locator("#timeline")).to_contain_text("Verwijzing aangevraagd.")
    walk.check("seed-21-traject-verwezen")
    context.close()

    # -- the outcome in the API and on the stream ------------------------------------------------
    referred = seed.ib.get(f"/api/v1/cases/{case_id}")
    assert (referred["status"], referred["level"]) == ("referred", "extra")
    assert [r["destination"] for r in referred["referrals"]] == ["sbo"]
    [plan] = referred["plans"]
    assert [s["expected_effect"] for s in plan["scenarios"]] == [
        "Leest AVI M3 vlot",
        "Leest AVI E3 vlot",
    ]
    envelopes = published(cases_stack, len(WALK_EXPECTED))
    assert [e.type for e in envelopes] == WALK_EXPECTED
    assert {e.subject.id for e in envelopes if e.subject.kind == "case"} == {UUID(case_id)}
    print(f"{walk.pages} pages, 0 violations")
