"""The web front end in a real browser: Playwright drives Debian's Chromium (headless, the
conftest's launch options) against the cases service (gunicorn + relay) loaded with the demo
data, plus 37 more pupils in support (40 in all), and the web app under gunicorn.

As the demo's intern begeleider: log in (Dutch, keyboard), Mijn leerlingen (also at phone
width), search, a pupil, a case with its timeline, the intervention form submitted once with an
error (seen at the field) and once correctly (checked in the cases API), log out, and the old
session cookie replayed lands on the log-in page. Every page is screenshotted to
test-artifacts/web/ and checked with axe-core: no serious or critical violations.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import CasesStack, Client, new_walk, start_web
from tests.support.processes import PYTHON, run_cli

IB_EMAIL, PASSWORD = "ib@regenboog.demo", "demo-wachtwoord-2026"
EXTRA_PUPILS = 37  # the demo has 3 pupils in support: 40 in all
INTERVENTIONS = [
    {"domain": domain, "goal": goal, "starts_on": "2026-09-07", "evaluate_by": by}
    for domain, goal, by in (
        ("reading_dyslexia", "Leest AVI-E4 vlot.", "2026-11-02"),
        ("math_dyscalculia", "Rekent tot 100.", "2026-10-12"),  # overdue on 15 October
        ("social_safety_behaviour", "Werkt 15 minuten zelfstandig.", "2026-11-09"),
        ("gifted", "Werkt aan een verrijkingsopdracht.", "2026-11-16"),  # not in the SOP
    )
]


@pytest.fixture
def demo(cases_stack: CasesStack) -> Client:
    """The demo data, then 37 more pupils of De Regenboog with a case each; the IB'er's client."""
    run_cli([PYTHON, "-m", "services.cases", "demo-data"], cases_stack.env)
    ib = cases_stack.client().login(IB_EMAIL, PASSWORD)
    school = ib.get("/api/v1/pupils")["items"][0]["school_id"]
    for n in range(EXTRA_PUPILS):
        pupil = ib.post(
            "/api/v1/pupils",
            {
                "school_id": school,
                "given_name": f"Leerling {n + 1:02d}",
                "family_name": ["Bakker", "Visser", "Smit", "Meijer", "de Boer"][n % 5],
                "date_of_birth": "2017-04-01",
                "group": f"groep {3 + n % 6}",
                "enrolled_on": "2021-08-23",
                "guardians": [{"name": "Ouder", "email": f"ouder{n}@ouders.demo"}],
            },
            expect=201,
        )
        case = ib.post(
            "/api/v1/cases", {"pupil_id": pupil["id"], "opened_on": "2026-09-01"}, expect=201
        )
        if n % 3 < 2:  # two in three have an intervention running, a few overdue or outside the SOP
            ib.post(f"/api/v1/cases/{case['id']}/interventions", INTERVENTIONS[n % 4], expect=201)
    return ib


@pytest.fixture
def web_url(cases_stack: CasesStack, demo: Client) -> str:
    """The web app under gunicorn, on the system's clock, asking the cases service."""
    return start_web(cases_stack)


def test_the_coordinator_in_chromium(
    cases_stack: CasesStack, demo: Client, web_url: str, chromium: Browser
) -> None:
    walk = new_walk(chromium, "[0-9]*.png")  # this run only (other tests have their prefixes)
    page, context = walk.page, walk.page.context

    # -- log in, in Dutch, with the keyboard --------------------------------------------------
    page.goto(f"{web_url}/")
    expect(page).to_have_url(re.compile(r"/inloggen"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.get_by_label("E-mailadres").fill(IB_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    walk.check("01-inloggen")
    page.keyboard.press("Enter")

    # -- Mijn leerlingen: 40 pupils, 25 a page -------------------------------------------------
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leerlingen")
    expect(page.locator(".count")).to_contain_text("40 leerlingen")
    expect(page.locator("#caseload tbody tr")).to_have_count(25)
    # What is due first comes first: an evaluation overdue since 12 October.
    first = page.locator("#caseload tbody tr").first
    expect(first).to_contain_text("12 oktober 2026")
    expect(first).to_contain_text("evaluatie te laat")
    expect(page.locator("#caseload")).to_contain_text("interventie buiten het SOP")
    walk.check("02-mijn-leerlingen")
    page.get_by_role("link", name="Volgende").click()
    expect(page.locator("#caseload tbody tr")).to_have_count(15)
    walk.check("03-mijn-leerlingen-pagina-2")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Vorige").click()
    walk.check("04-mijn-leerlingen-telefoon", full_page=False)  # the first screen a phone shows
    page.set_viewport_size({"width": 1280, "height": 900})

    # -- search, a pupil, a case ---------------------------------------------------------------
    page.get_by_label("Naam").fill("Daan")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".count")).to_contain_text("1 leerling")
    walk.check("05-zoeken")
    page.get_by_role("link", name="Daan Mulder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daan Mulder")
    expect(page.locator("body")).to_contain_text("Eva Mulder")
    walk.check("06-leerling")
    page.locator("#cases a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Traject van Daan Mulder")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Interventie Leesproblemen en dyslexie gestart")
    expect(timeline).not_to_contain_text("intervention.started")
    case_id = page.url.rsplit("/", 1)[1]
    walk.check("07-traject")

    # -- the intervention form: once with an error, once right ---------------------------------
    page.get_by_role("link", name="Interventie starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interventie starten")
    expect(page.get_by_label("Startdatum")).to_have_value("2026-10-15")
    expect(page.get_by_label("Evalueren uiterlijk op")).to_have_value("2026-12-24")
    walk.check("08-interventie-starten")
    page.get_by_label("Domein").select_option(label="Rekenproblemen en dyscalculie")
    page.get_by_label("Doel").fill("Automatiseert de tafels tot 10.")
    page.get_by_label("Evalueren uiterlijk op").fill("2027-02-01")
    page.get_by_role("button", name="Interventie starten").click()
    expect(page).to_have_title(re.compile(r"^Fout: Interventie starten"))
    error = page.locator("#f-evaluate_by-error")
    expect(error).to_contain_text("binnen 10 weken geëvalueerd (uiterlijk 24 december 2026)")
    expect(page.get_by_label("Doel")).to_have_value("Automatiseert de tafels tot 10.")
    walk.check("09-interventie-fout")
    page.locator(".error-summary a").click()  # the summary leads to the field
    expect(page.get_by_label("Evalueren uiterlijk op")).to_be_focused()
    page.get_by_label("Evalueren uiterlijk op").fill("2026-12-10")
    # A domain De Regenboog's SOP does not offer: a warning before anything is saved.
    page.get_by_label("Domein").select_option(
        label="Meer- en hoogbegaafdheid (niet in het SOP van de school)"
    )
    page.get_by_role("button", name="Interventie starten").click()
    expect(page.locator("#outside-warning")).to_contain_text(
        "Meer- en hoogbegaafdheid staat niet in het schoolondersteuningsprofiel"
    )
    expect(page.get_by_role("button", name="Toch starten, buiten het SOP")).to_be_visible()
    walk.check("09b-interventie-buiten-sop")
    page.get_by_label("Domein").select_option(label="Rekenproblemen en dyscalculie")
    page.get_by_role("button", name="Toch starten, buiten het SOP").click()
    expect(page.locator(".notice")).to_contain_text("De interventie is gestart.")
    expect(page.locator("#interventions")).to_contain_text("Rekenproblemen en dyscalculie")
    walk.check("10-interventie-gestart")
    case = demo.get(f"/api/v1/cases/{case_id}")
    started = [i for i in case["interventions"] if i["domain"] == "math_dyscalculia"]
    assert [(i["evaluate_by"], i["goal"], i["status"]) for i in started] == [
        ("2026-12-10", "Automatiseert de tafels tot 10.", "active")
    ]

    # -- evaluate the reading intervention: not effective --------------------------------------
    reading = page.locator("#interventions tr", has_text="Leesproblemen en dyslexie")
    reading.get_by_role("link", name=re.compile("Evalueren")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interventie evalueren")
    walk.check("11-interventie-evalueren")
    page.get_by_label("niet effectief", exact=True).check()
    page.get_by_label("Toelichting").fill("Leestempo nauwelijks vooruit.")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.locator(".notice")).to_contain_text("De evaluatie is vastgelegd.")
    expect(page.locator("#timeline")).to_contain_text(
        "Interventie Leesproblemen en dyslexie geëvalueerd: niet effectief."
    )
    walk.check("12-evaluatie-vastgelegd")
    case = demo.get(f"/api/v1/cases/{case_id}")
    [evaluated] = [i for i in case["interventions"] if i["domain"] == "reading_dyslexia"]
    assert (evaluated["status"], evaluated["outcome"]) == ("evaluated", "not_effective")

    # -- open a case for Liam, who has none (his page by its link) --------------------------------
    pupils = demo.get("/api/v1/pupils?page_size=100")["items"]
    [liam] = [p for p in pupils if p["given_name"] == "Liam"]
    page.goto(f"{web_url}/leerlingen/{liam['id']}")
    expect(page.locator("body")).to_contain_text("Deze leerling heeft nog geen traject.")
    walk.check("13-leerling-zonder-traject")
    page.get_by_role("link", name="Traject openen").click()
    walk.check("14-traject-openen")
    page.get_by_role("button", name="Traject openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Traject van Liam Smith")
    expect(page.locator("#timeline")).to_contain_text("Traject geopend (basisondersteuning).")
    walk.check("15-traject-geopend")
    [opened] = demo.get(f"/api/v1/cases?pupil_id={liam['id']}")["items"]
    assert (opened["opened_on"], opened["status"]) == ("2026-10-15", "open")

    # -- log out; the old session cookie no longer opens anything --------------------------------
    [old] = [c for c in context.cookies() if c["name"] == "web_session"]
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.locator("body")).to_contain_text("U bent uitgelogd.")
    walk.check("16-uitgelogd")
    context.clear_cookies()
    context.add_cookies([old])
    page.goto(f"{web_url}/leerlingen")
    expect(page).to_have_url(re.compile(r"/inloggen\?next=/leerlingen$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    context.close()
    print(f"{walk.pages} pages, 0 violations")
