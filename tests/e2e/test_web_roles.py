"""The teacher's, director's and consultant's pages in a real browser (Debian's Chromium through
Playwright, test_web.py's fixtures) against the demo data (plus test_web's 37 more pupils in
support), the reports service and the web app under gunicorn. Each role logs in, lands on its own
start page and opens every page it has; every page is screenshotted to test-artifacts/web/
(`roles-*.png`) and checked with axe-core: no serious or critical violations. Outcomes are checked
in the cases API, not in page text alone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import jwt
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import CasesStack, Client, Walk, new_walk, start_web
from tests.e2e.test_web import PASSWORD, demo  # noqa: F401  (a fixture)
from tests.support.processes import PYTHON, run_cli, service_env, start_web_app

TEACHER = "leerkracht@regenboog.demo"
DIRECTOR = "directie@regenboog.demo"
CONSULTANT = "consulent@swv-haarlemmermeer.demo"


@pytest.fixture
def roles_web_url(cases_stack: CasesStack, demo: Client, tmp_path: Path) -> str:  # noqa: F811
    """The reports service (migrated, consuming the stream) and the web app asking it and cases."""
    shared = ("REDIS_URL", "JWT_SECRET", "EVENT_STREAM", "CLOCK_FILE")
    env = service_env(
        {
            **{k: v for k, v in cases_stack.env.items() if k in shared},
            "CASES_URL": cases_stack.base_url,
            "REPORTS_DATABASE_URL": f"sqlite:///{tmp_path / 'reports.db'}",
        }
    )
    run_cli([PYTHON, "-m", "services.reports", "migrate"], env)
    cases_stack.processes.python_module("reports-consumer", "services.reports", ["consume"], env)
    _reports, reports_url = start_web_app(
        cases_stack.processes, "reports-web", "services.reports.app:create_app()", env
    )
    return start_web(cases_stack, REPORTS_URL=reports_url)


def _log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def _teacher(page: Page, walk: Walk, base_url: str, demo: Client, stack: CasesStack) -> None:  # noqa: F811
    _log_in(page, base_url, TEACHER)
    expect(page).to_have_url(re.compile(r"/leerkracht$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    daan = page.locator("#teacher-interventions tr", has_text="Daan Mulder")
    expect(daan).to_contain_text("Leesproblemen en dyslexie")
    expect(page.locator("#teacher-pupils")).to_contain_text("Noor Yilmaz")
    walk.check("roles-leerkracht-01-mijn-werk")
    page.get_by_role("link", name="Mijn leerlingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leerlingen")
    walk.check("roles-leerkracht-02-mijn-leerlingen")
    page.get_by_role("link", name="Mijn werk").click()
    daan.get_by_role("link", name=re.compile("Vastleggen hoe het ging")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interventie evalueren")
    walk.check("roles-leerkracht-03-evalueren")
    page.get_by_label("effectief", exact=True).check()
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page).to_have_url(re.compile(r"/leerkracht$"))
    expect(page.locator(".notice")).to_contain_text("De evaluatie is vastgelegd.")
    walk.check("roles-leerkracht-04-vastgelegd")
    # The cases API: evaluated, and the event names the teacher (by id).
    teacher_id = jwt.decode(
        stack.client().login(TEACHER, PASSWORD).token or "", options={"verify_signature": False}
    )["sub"]
    pupils = demo.get("/api/v1/pupils?page_size=100")["items"]
    [daan_id] = [p["id"] for p in pupils if p["given_name"] == "Daan"]
    [listed] = demo.get(f"/api/v1/cases?pupil_id={daan_id}")["items"]
    case = demo.get(f"/api/v1/cases/{listed['id']}")
    [reading] = [i for i in case["interventions"] if i["domain"] == "reading_dyslexia"]
    assert (reading["status"], reading["outcome"]) == ("evaluated", "effective")
    timeline = demo.get(f"/api/v1/cases/{case['id']}/timeline")
    [evaluated] = [e for e in timeline if e["type"] == "intervention.evaluated"]
    assert evaluated["data"]["evaluated_by"] == teacher_id


def _director(page: Page, walk: Walk, base_url: str) -> None:
    _log_in(page, base_url, DIRECTOR)
    expect(page).to_have_url(re.compile(r"/school$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("OBS De Regenboog")
    expect(page.locator("#sop")).to_contain_text("Herzien uiterlijk")
    expect(page.locator("#report")).to_contain_text("Interventies gestart")
    walk.check("roles-directeur-01-school")
    page.get_by_role("link", name="Mijn leerlingen").click()
    expect(page.locator(".count")).to_contain_text("40 leerlingen")
    walk.check("roles-directeur-02-leerlingen")
    page.get_by_role("link", name="Wettelijke eisen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wettelijke eisen per OPP")
    expect(page.locator("#legal-status")).to_contain_text("Noor Yilmaz")
    walk.check("roles-directeur-03-wettelijke-eisen")
    with page.expect_download() as info:
        page.get_by_role("link", name="Downloaden als Excel-bestand (XLSX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert names == ["Noor Yilmaz"]


def _consultant(page: Page, walk: Walk, base_url: str) -> None:
    _log_in(page, base_url, CONSULTANT)
    expect(page).to_have_url(re.compile(r"/samenwerkingsverband$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alle scholen")
    expect(page.locator("#schools")).to_contain_text("OBS De Regenboog")
    expect(page.locator("#schools")).to_contain_text("CBS Het Kompas")
    expect(page.locator("#flagged")).to_contain_text("OBS De Regenboog")
    walk.check("roles-consulent-01-alle-scholen")
    page.get_by_label("Signaal", exact=True).select_option(label="interventie buiten het SOP")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator(".count")).to_contain_text("interventie buiten het SOP")
    walk.check("roles-consulent-02-signalen")
    page.locator("#flagged a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Traject van")
    walk.check("roles-consulent-03-traject")
    page.get_by_role("link", name="Verwijzingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzingen")
    walk.check("roles-consulent-04-verwijzingen")
    page.get_by_role("link", name="Wettelijke eisen").first.click()
    # The schools by name: CBS Het Kompas first, which has no plans in the demo.
    expect(page.locator("main")).to_contain_text("Deze school heeft geen lopende OPP's.")
    walk.check("roles-consulent-05-wettelijke-eisen-kompas")
    page.get_by_label("School", exact=True).select_option(label="OBS De Regenboog")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#legal-status")).to_contain_text("Noor Yilmaz")
    walk.check("roles-consulent-06-wettelijke-eisen-regenboog")


def test_teacher_director_and_consultant_in_chromium(
    cases_stack: CasesStack,
    demo: Client,  # noqa: F811
    roles_web_url: str,
    chromium: Browser,
) -> None:
    total = 0
    for role in ("teacher", "director", "consultant"):
        walk = new_walk(chromium, accept_downloads=True)
        page = walk.page
        if role == "teacher":
            _teacher(page, walk, roles_web_url, demo, cases_stack)
        elif role == "director":
            _director(page, walk, roles_web_url)
        else:
            _consultant(page, walk, roles_web_url)
        total += walk.pages
        page.context.close()
    print(f"{total} pages, 0 violations")
