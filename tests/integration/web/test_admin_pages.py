"""Issue 12, the administrator's pages (/beheer): built from the cases API with the
administrator's own token. Schools, accounts (filtered, paged, created, a new role, disabled and
enabled), the partnership's settings with the API's refusals at the field, each school's SOP, and
the staff import's dry run as a table before the real run. Only administrators reach them."""

from __future__ import annotations

import io
import re

import pytest
import redis

from services.web.pages.admin.imports import import_key
from tests.integration.web.conftest import CSRF, Browser
from tests.support import api_flows as f

PAGES = (
    "/beheer",
    "/beheer/scholen",
    "/beheer/scholen/nieuw",
    "/beheer/accounts",
    "/beheer/accounts/nieuw",
    "/beheer/instellingen",
    "/beheer/sop",
    "/beheer/import",
)
STAFF = "Naam;E-mail;Rol\r\nAnna Smit;anna@a1.test;leerkracht\r\nEva;geen-mail;leerkracht\r\n"


def _text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _main(response) -> str:
    return response.get_data(as_text=True).split("<main", 1)[-1]


def test_the_administrator_lands_on_beheer_and_every_page_opens(world, browser: Browser):
    landed = browser.login("admin_a")
    assert landed.headers["Location"] == "/"
    assert browser.get("/").headers["Location"] == "/beheer"
    home = _text(browser.get("/beheer"))
    assert "Mijn leerlingen" not in home  # no caseload in the administrator's menu
    for path in ("/beheer/scholen", "/beheer/accounts", "/beheer/instellingen", "/beheer/sop"):
        assert path in home
    assert "/beheer/import" in home and 'id="messages"' in home
    for page in PAGES + (f"/beheer/sop/{world.school_a1}", f"/beheer/scholen/{world.school_a1}"):
        assert browser.get(page).status_code == 200, page
    browser.post("/taal", {"lang": "en", "next": "/beheer"}, form_page="/beheer")
    english = _text(browser.get("/beheer"))
    assert "<h1>Administration</h1>" in english and "School support profiles" in english
    settings = _text(browser.get("/beheer/instellingen"))
    assert "Retention period after a referral" in settings


@pytest.mark.parametrize("who", ["coordinator_a1", "teacher_a1", "director_a1", "consultant_a"])
def test_only_administrators_reach_the_pages(world, browser: Browser, who):
    browser.login(who)
    for page in PAGES + (f"/beheer/accounts/{world.users['teacher_a1']}",):
        response = browser.get(page)
        assert response.status_code == 403, page
        assert "Geen toegang" in response.get_data(as_text=True)
        assert "teacher_a1@test.nl" not in _main(response)
    refused = browser.client.post(
        f"/beheer/accounts/{world.users['teacher_a1']}/actief",
        data={"active": "nee", "csrf_token": browser.csrf("/beheer")},
    )
    assert refused.status_code == 403
    assert world.call("teacher_a1", "GET", "/api/v1/schools").status_code == 200  # still active


def test_schools_listed_searched_added_and_changed(world, browser: Browser):
    browser.login("admin_a")
    listed = _text(browser.get("/beheer/scholen"))
    assert "School A1" in listed and "School A2" in listed and "School B1" not in listed
    searched = _main(browser.get("/beheer/scholen?q=A2"))
    assert "School A2" in searched and "School A1" not in searched

    refused = browser.post("/beheer/scholen/nieuw", {"name": "", "region": "west", "brin": "12"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "<title>3 fouten:" in page
    assert 'href="#f-name"' in page and 'href="#f-brin"' in page and 'href="#f-region"' in page
    assert "Kies een van de mogelijkheden uit de lijst." in page  # the API's words, in Dutch

    added = browser.post(
        "/beheer/scholen/nieuw", {"name": "De Linde", "region": "zuid", "brin": ""}
    )
    assert added.status_code == 302
    assert "De Linde" in _text(browser.get("/beheer/scholen?region=zuid"))
    [linde] = [
        s
        for s in f.call_ok(world, "admin_a", "GET", "/api/v1/schools", 200)
        if s["name"] == "De Linde"
    ]
    assert linde["brin"] is None

    path = f"/beheer/scholen/{linde['id']}"
    assert 'value="De Linde"' in _text(browser.get(path))
    changed = browser.post(path, {"name": "De Linde", "region": "midden", "brin": "12AB"})
    assert changed.status_code == 302
    again = f.call_ok(world, "admin_a", "GET", "/api/v1/schools", 200)
    assert {"name": "De Linde", "region": "midden", "brin": "12AB"}.items() <= next(
        s for s in again if s["id"] == linde["id"]
    ).items()
    assert browser.get(f"/beheer/scholen/{world.school_b1}").status_code == 404


def test_accounts_filtered_paged_created_given_a_role_disabled_and_enabled(world, browser):
    for n in range(26):
        f.call_ok(
            world,
            "admin_a",
            "POST",
            "/api/v1/users",
            201,
            json={
                "role": "teacher",
                "email": f"t{n:02}@a1.test",
                "name": f"Leerkracht {n:02}",
                "school_id": str(world.school_a1),
            },
        )
    browser.login("admin_a")
    first = _text(browser.get("/beheer/accounts?role=teacher"))
    assert "27 accounts" in first and "Pagina 1 van 2" in first
    assert "admin@b.test" not in first and "coordinator_b1" not in first
    second = _text(browser.get("/beheer/accounts?role=teacher&page=2"))
    assert "Leerkracht 25" in second and "Leerkracht 00" not in _main(
        browser.get("/beheer/accounts?role=teacher&page=2")
    )
    school = _main(browser.get(f"/beheer/accounts?school={world.school_a2}"))
    assert "coordinator_a2@test.nl" in school and "coordinator_a1@test.nl" not in school

    refused = browser.post(
        "/beheer/accounts/nieuw",
        {
            "name": "Nina",
            "email": "coordinator_a1@test.nl",
            "role": "coordinator",
            "school_id": "",
            "language": "nl",
            "phone": "",
            "password": "kort",
        },
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Een wachtwoord heeft ten minste 12 tekens." in page and 'href="#f-password"' in page
    assert 'value="kort"' not in page  # a password is never shown again
    no_school = browser.post(
        "/beheer/accounts/nieuw",
        {
            "name": "Nina",
            "email": "nina@a1.test",
            "role": "coordinator",
            "school_id": "",
            "language": "nl",
            "phone": "",
            "password": "",
        },
    )
    assert no_school.status_code == 422
    page = no_school.get_data(as_text=True)
    assert "Kies de school van deze medewerker." in page and 'href="#f-school_id"' in page
    assert 'value="nina@a1.test"' in page  # what was typed stays

    created = browser.post(
        "/beheer/accounts/nieuw",
        {
            "name": "Nina de Boer",
            "email": "nina@a1.test",
            "role": "coordinator",
            "school_id": str(world.school_a1),
            "language": "nl",
            "phone": "",
            "password": "een-lang-wachtwoord",
        },
    )
    assert created.status_code == 302
    login = world.client.post(
        "/api/v1/auth/token", json={"email": "nina@a1.test", "password": "een-lang-wachtwoord"}
    )
    assert login.status_code == 200 and login.json["role"] == "coordinator"

    teacher = world.users["teacher_a1"]
    path = f"/beheer/accounts/{teacher}"
    wrong = browser.post(path, {"role": "consultant", "school_id": str(world.school_a1)})
    assert wrong.status_code == 422
    assert "Alleen medewerkers van een school horen bij een school" in wrong.get_data(as_text=True)
    moved = browser.post(path, {"role": "director", "school_id": str(world.school_a1)})
    assert moved.status_code == 302
    account = _text(browser.get(path))
    assert "Directeur" in account and "die persoon logt opnieuw in" in account
    assert world.call("teacher_a1", "GET", "/api/v1/schools").status_code == 401  # old token

    off = browser.post(f"{path}/actief", {"active": "nee"}, form_page=path)
    assert off.status_code == 302 and "Uitgeschakeld" in _text(browser.get(path))
    listed = _main(browser.get("/beheer/accounts?state=disabled"))
    assert "teacher_a1@test.nl" in listed and "coordinator_a1@test.nl" not in listed
    on = browser.post(f"{path}/actief", {"active": "ja"}, form_page=path)
    assert on.status_code == 302 and "weer ingeschakeld" in _text(browser.get(path))
    own = _text(browser.get(f"/beheer/accounts/{world.users['admin_a']}"))
    assert "Account uitschakelen" not in own and "Rol wijzigen" not in own
    assert browser.get(f"/beheer/accounts/{world.users['coordinator_b1']}").status_code == 404


def test_settings_shown_changed_and_refused_at_the_field(world, browser: Browser):
    browser.login("admin_a")
    page = _text(browser.get("/beheer/instellingen"))
    assert "Leesproblemen en dyslexie" in page and "<code>reading_dyslexia</code>" in page
    assert 'id="f-retention_years"' in page and 'value="2"' in page
    assert 'id="f-tlv_decision_weeks"' in page and "aanvraag TLV" in page

    settings = f.call_ok(
        world, "admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}", 200
    )["settings"]
    form = {
        name: str(settings[name])
        for name in (
            "short_intervention_max_weeks",
            "evaluation_horizon_days",
            "new_pupil_plan_weeks",
            "plan_deadline_weeks",
            "admission_statement_horizon_days",
            "support_profile_horizon_days",
            "consent_answer_days",
            "tlv_decision_weeks",
            "retention_years",
            "referral_retention_years",
        )
    }
    form |= {
        "basic_domains": "\n".join(settings["basic_domains"]),
        "extra_domains": "\n".join(settings["extra_domains"]),
    }
    wrong = browser.post(
        "/beheer/instellingen",
        form
        | {
            "plan_deadline_weeks": "zes",
            "retention_years": "0",
            "extra_domains": "Niet Goed",
            "meeting_organizer": "geen adres",
        },
    )
    assert wrong.status_code == 422
    body = wrong.get_data(as_text=True)
    assert "<title>4 fouten:" in body and 'href="#f-meeting_organizer"' in body
    assert "Vul een heel getal in." in body and "Kies een getal van 1 tot en met 10." in body
    assert 'href="#f-extra_domains"' in body and 'value="zes"' in body
    unchanged = f.call_ok(
        world, "admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}", 200
    )
    assert unchanged["settings"] == settings

    saved = browser.post(
        "/beheer/instellingen",
        form
        | {
            "retention_years": "4",
            "staff_second_factor_required": "ja",
            "consent_answer_days": "21",
            "tlv_decision_weeks": "8",
            "meeting_organizer": "zorg@swv.test",
        },
    )
    assert saved.status_code == 302
    now = f.call_ok(world, "admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}", 200)
    assert now["settings"]["retention_years"] == 4
    assert now["settings"]["staff_second_factor_required"] is True
    assert now["settings"]["consent_answer_days"] == 21
    assert now["settings"]["tlv_decision_weeks"] == 8
    assert now["settings"]["meeting_organizer"] == "zorg@swv.test"
    assert 'value="zorg@swv.test"' in _text(browser.get("/beheer/instellingen"))
    cleared = browser.post("/beheer/instellingen", form | {"meeting_organizer": ""})
    assert cleared.status_code == 302
    after = f.call_ok(world, "admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}", 200)
    assert after["settings"]["meeting_organizer"] is None  # empty: the service's own address
    assert now["settings"]["basic_domains"] == settings["basic_domains"]


def test_a_schools_sop_versions_and_a_new_one(world, browser: Browser):
    browser.login("admin_a")
    listed = _text(browser.get("/beheer/sop"))
    assert "School A1" in listed and "School B1" not in listed
    path = f"/beheer/sop/{world.school_a2}"
    page = _text(browser.get(path))
    assert "Leesproblemen en dyslexie" in page
    refused = browser.client.post(
        path,
        data={
            "csrf_token": browser.csrf(path),
            "basic_domains": ["reading_dyslexia"],
            "valid_from": "2026-08-01",
            "review_by": "2026-07-01",
        },
    )
    assert refused.status_code == 422
    assert "Moet na de datum &#39;geldig vanaf&#39; liggen." in refused.get_data(as_text=True)
    published = browser.client.post(
        path,
        data={
            "csrf_token": browser.csrf(path),
            "basic_domains": ["reading_dyslexia"],
            "extra_domains": [],
            "valid_from": "2026-08-01",
            "review_by": "2027-07-31",
        },
    )
    assert published.status_code == 302, published.get_data(as_text=True)[:3000]
    versions = f.call_ok(
        world, "admin_a", "GET", f"/api/v1/schools/{world.school_a2}/support-profiles", 200
    )
    assert versions[0]["basic_domains"] == ["reading_dyslexia"]
    assert versions[0]["review_by"] == "2027-07-31"
    assert "31 juli 2027" in _text(browser.get("/beheer/sop?q=A2"))
    assert browser.get(f"/beheer/sop/{world.school_b1}").status_code == 404


def _upload(browser: Browser, school, content: bytes, kind: str = "staff"):
    return browser.client.post(
        "/beheer/import",
        data={
            "csrf_token": browser.csrf("/beheer/import"),
            "school_id": str(school),
            "kind": kind,
            "file": (io.BytesIO(content), "personeel.csv"),
        },
        content_type="multipart/form-data",
    )


def test_the_staff_import_dry_run_then_the_real_run(world, browser: Browser, container):
    browser.login("admin_a")
    dry = _text(_upload(browser, world.school_a1, STAFF.encode()))
    assert "Proefimport" in dry and "er is nog niets veranderd" in dry
    assert "anna@a1.test" in dry and "nieuw" in dry and "afgewezen" in dry
    assert "E-mail: Geen geldig e-mailadres." in dry  # the row's error, in Dutch
    emails = [u["email"] for u in f.call_ok(world, "admin_a", "GET", "/api/v1/users", 200)]
    assert "anna@a1.test" not in emails  # nothing yet
    token = re.search(r'name="import" value="([^"]+)"', dry).group(1)
    waiting = redis.Redis.from_url(browser.settings.redis_url)
    key = import_key(browser.settings.session_key_prefix, token)
    assert waiting.get(key) == STAFF.encode() and 0 < waiting.ttl(key) <= 30 * 60
    run = browser.client.post(
        "/beheer/import/uitvoeren", data={"csrf_token": CSRF.search(dry).group(1), "import": token}
    )
    done = _text(run)
    assert "De import is uitgevoerd." in done and "Import echt uitvoeren" not in done
    users = f.call_ok(world, "admin_a", "GET", "/api/v1/users", 200)
    assert [u["role"] for u in users if u["email"] == "anna@a1.test"] == ["teacher"]
    again = browser.client.post(
        "/beheer/import/uitvoeren", data={"csrf_token": CSRF.search(dry).group(1), "import": token}
    )
    assert "Deze proefimport is verlopen" in again.get_data(as_text=True)
    assert not waiting.exists(key)  # the file is gone after the real run


def test_import_refusals_at_the_field(world, browser: Browser):
    browser.login("admin_a")
    missing = browser.client.post(
        "/beheer/import",
        data={"csrf_token": browser.csrf("/beheer/import"), "school_id": "", "kind": ""},
    )
    assert missing.status_code == 422
    assert "<title>3 fouten:" in missing.get_data(as_text=True)
    columns = _upload(browser, world.school_a1, b"Voornaam;Telefoon\r\nAnna;06\r\n")
    assert columns.status_code == 422
    text = columns.get_data(as_text=True)
    assert 'href="#f-file"' in text and "E-mail: Geen kolom voor dit gegeven" in text
    pupils = _upload(browser, world.school_a1, STAFF.encode(), kind="pupils")
    assert pupils.status_code == 422  # pupils are the school coordinator's import
    assert "U mag deze import niet uitvoeren voor deze school." in pupils.get_data(as_text=True)
    other = _upload(browser, world.school_b1, STAFF.encode())
    assert other.status_code == 404


def test_an_import_file_may_be_larger_than_other_forms(world, browser: Browser):
    """Forms take at most 256 KB; the import takes files up to the API's 5 MB."""
    browser.login("admin_a")
    note = "x" * 100_000  # a cell under the CSV reader's limit, four of them over 256 KB
    rows = [f"Leerkracht {n};t{n}@a1.test;leerkracht;{note}" for n in range(4)]
    big = "\r\n".join(["Naam;E-mail;Rol;Opmerking", *rows]).encode()
    dry = _text(_upload(browser, world.school_a1, big))
    assert "t3@a1.test" in dry and "Proefimport" in dry
    token = browser.csrf("/beheer")
    other = browser.client.post(
        "/beheer/instellingen", data={"csrf_token": token, "basic_domains": note * 3}
    )
    assert other.status_code == 413


def test_a_waiting_file_is_never_under_the_sessions_prefix():
    assert import_key("web:session:", "abc") == "web:import:abc"
    assert not import_key("web:session:", "abc").startswith("web:session:")
