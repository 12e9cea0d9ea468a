"""Issue 12, the administrator's pages in a real browser (Debian's Chromium through Playwright)
against the demo data and the web app under gunicorn. The demo's administrator logs in, lands on
/beheer and opens every page of it: schools (a refused and a saved new school), accounts (filtered,
a new one, a new role, disabled), the settings (a refusal at the field, then saved), the SOPs (a new
version) and the staff import, dry run then the real run. Every page is screenshotted to
test-artifacts/web/ (`admin-*.png`, some at phone width too) and checked with axe-core: no serious
or critical violations. Outcomes are checked in the cases API, not in page text alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import CasesStack, Client, Walk, new_walk, start_web
from tests.support.processes import PYTHON, run_cli

ADMIN = "beheer@swv-haarlemmermeer.demo"
PASSWORD = "demo-wachtwoord-2026"
STAFF_FILE = (
    b"Naam;E-mail;Rol\r\n"
    b"Sanne Vos;sanne.vos@regenboog.demo;leerkracht\r\n"
    b"Zonder adres;geen-mail;leerkracht\r\n"
)


def _log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("E-mailadres").fill(ADMIN)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/beheer$"))


def _schools(page: Page, walk: Walk) -> None:
    page.get_by_role("link", name="Scholen", exact=True).click()
    expect(page.locator("#schools")).to_contain_text("OBS De Regenboog")
    walk.check("admin-02-scholen")
    page.get_by_role("link", name="School toevoegen").click()
    page.get_by_label("Naam van de school").fill("De Linde")
    page.get_by_label("BRIN-nummer").fill("12")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_contain_text("Kies een van de mogelijkheden")
    expect(page).to_have_title(re.compile(r"^2 fouten:"))
    walk.check("admin-03-school-toevoegen-fouten")
    page.get_by_label("Regio").select_option("zuid")
    page.get_by_label("BRIN-nummer").fill("56EF")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".notice")).to_contain_text("De school De Linde is toegevoegd.")
    page.locator("#schools tr", has_text="CBS Het Kompas").get_by_role(
        "link", name=re.compile("Wijzigen")
    ).click()
    expect(page.get_by_label("Naam van de school")).to_have_value("CBS Het Kompas")
    walk.check("admin-04-school-wijzigen")
    page.get_by_label("Regio").select_option("midden")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".notice")).to_contain_text("is gewijzigd")


def _accounts(page: Page, walk: Walk) -> None:
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Accounts", exact=True).click()
    page.get_by_label("Rol").select_option("teacher")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#accounts")).to_contain_text("leerkracht@regenboog.demo")
    walk.check("admin-05-accounts")
    page.get_by_role("link", name="Account aanmaken").click()
    page.get_by_label("Naam", exact=True).fill("Joris Dekker")
    page.get_by_label("E-mailadres").fill("joris@kompas.demo")
    page.get_by_label("Intern begeleider").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.locator("#f-school_id-error")).to_contain_text("Kies de school")
    walk.check("admin-06-account-aanmaken-fout")
    page.get_by_label("School").select_option(label="CBS Het Kompas")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.locator(".notice")).to_contain_text("Joris Dekker")
    page.get_by_label("Naam of e-mailadres").fill("joris")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Joris Dekker").click()
    walk.check("admin-07-account")
    page.get_by_label("Directeur").check()
    page.get_by_role("button", name="Rol opslaan").click()
    expect(page.locator(".notice")).to_contain_text("is gewijzigd")
    page.get_by_role("button", name="Account uitschakelen").click()
    expect(page.locator(".summary")).to_contain_text("Uitgeschakeld")
    walk.check("admin-08-account-uitgeschakeld")


def _settings(page: Page, walk: Walk) -> None:
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Instellingen", exact=True).click()
    expect(page.locator("#domains-basic")).to_contain_text("Leesproblemen en dyslexie")
    walk.check("admin-09-instellingen")
    page.get_by_label("Bewaartermijn", exact=True).fill("0")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.locator("#f-retention_years-error")).to_contain_text("1 tot en met 10")
    walk.check("admin-10-instellingen-fout")
    page.get_by_label("Bewaartermijn", exact=True).fill("3")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.locator(".notice")).to_contain_text("De instellingen zijn opgeslagen.")


def _sops(page: Page, walk: Walk) -> None:
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Schoolondersteuningsprofielen").click()
    walk.check("admin-11-sops")
    page.get_by_role("link", name="De Linde").click()
    expect(page.locator("main")).to_contain_text("Deze school heeft nog geen SOP.")
    page.get_by_label("Leesproblemen en dyslexie").check()
    page.get_by_label("Geldig vanaf").fill("2026-08-01")
    page.get_by_label("Herzien vóór").fill("2027-07-31")
    page.get_by_role("button", name="Versie publiceren").click()
    expect(page.locator("#versions")).to_contain_text("31 juli 2027")
    walk.check("admin-12-sop")


def _import(page: Page, walk: Walk, admin: Client) -> None:
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name="Importeren", exact=True).click()
    walk.check("admin-13-import")
    page.get_by_label("School").select_option(label="OBS De Regenboog")
    page.get_by_label("Medewerkers").check()
    page.get_by_label("Bestand").set_input_files(
        {"name": "personeel.csv", "mimeType": "text/csv", "buffer": STAFF_FILE}
    )
    page.get_by_role("button", name="Proefimport bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proefimport")
    rows = page.locator("#rows")
    expect(rows.locator("tr", has_text="sanne.vos@regenboog.demo")).to_contain_text("nieuw")
    expect(rows.locator("tbody tr", has_text="afgewezen")).to_have_count(1)
    walk.check("admin-14-proefimport")
    emails = [u["email"] for u in admin.get("/api/v1/users")]
    assert "sanne.vos@regenboog.demo" not in emails  # the dry run wrote nothing
    page.get_by_role("button", name="Import echt uitvoeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import uitgevoerd")
    walk.check("admin-15-import-uitgevoerd")
    users = admin.get("/api/v1/users")
    assert [u["role"] for u in users if u["email"] == "sanne.vos@regenboog.demo"] == ["teacher"]


@pytest.mark.timeout(300)  # 18 pages with axe-core on a shared machine take 100 s or more
def test_the_administrator_in_chromium(cases_stack: CasesStack, chromium: Browser) -> None:
    run_cli([PYTHON, "-m", "services.cases", "demo-data"], cases_stack.env)
    base_url = start_web(cases_stack)
    admin = cases_stack.client().login(ADMIN, PASSWORD)
    walk = new_walk(chromium, stale="admin-*.png")
    page = walk.page
    _log_in(page, base_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Beheer")
    walk.check("admin-01-beheer")
    _schools(page, walk)
    _accounts(page, walk)
    _settings(page, walk)
    _sops(page, walk)
    _import(page, walk, admin)
    total = walk.pages
    page.context.close()

    schools = {s["name"]: s for s in admin.get("/api/v1/schools")}
    assert schools["De Linde"]["brin"] == "56EF" and schools["CBS Het Kompas"]["region"] == "midden"
    [joris] = [u for u in admin.get("/api/v1/users") if u["email"] == "joris@kompas.demo"]
    assert (joris["role"], joris["active"]) == ("director", False)
    partnership = admin.get(f"/api/v1/partnerships/{schools['De Linde']['partnership_id']}")
    assert partnership["settings"]["retention_years"] == 3

    phone = new_walk(chromium, width=390, height=844)  # phone width
    _log_in(phone.page, base_url)
    phone.check("admin-phone-01-beheer")
    phone.page.goto(f"{base_url}/beheer/accounts")
    phone.check("admin-phone-02-accounts")
    phone.page.goto(f"{base_url}/beheer/instellingen")
    phone.check("admin-phone-03-instellingen")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    total += phone.pages
    phone.page.context.close()
    print(f"{total} pages, 0 violations")
