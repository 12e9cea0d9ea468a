"""The administrators' pages (once the notifications console) as the navigation offers them per
role, and without a notifications service configured: the pages that need it answer the calm 404
page. Their work against the real services is tested in tests/integration/notifications/
test_web_*.py."""

from __future__ import annotations

import pytest


def _nav(browser) -> str:
    page = browser.get("/evaluaties").get_data(as_text=True)
    return page[page.index("Hoofdmenu") : page.index("</nav>")]


@pytest.mark.parametrize(
    ("who", "offered", "not_offered"),
    [
        ("admin_a", ["/beheer/berichten", "/beheer/bezorging", "/beheer/rapporten"], []),
        ("coordinator_a1", ["/beheer/bezorging", "/beheer/rapporten"], ["/beheer/berichten"]),
        ("director_a1", ["/beheer/bezorging", "/beheer/rapporten"], ["/beheer/berichten"]),
        ("consultant_a", ["/beheer/rapporten"], ["/beheer/berichten", "/beheer/bezorging"]),
        ("teacher_a1", [], ["/beheer/berichten", "/beheer/bezorging", "/beheer/rapporten"]),
    ],
)
def test_each_role_is_offered_the_pages_it_had_in_the_console(
    world, browser, who, offered, not_offered
):
    browser.login(who)
    nav = _nav(browser)
    assert 'href="/evaluaties"' in nav  # every staff role
    for path in offered:
        assert f'href="{path}"' in nav, path
    for path in not_offered:
        assert f'href="{path}"' not in nav, path
        assert browser.get(path).status_code == 404, path


def test_without_a_notifications_service_its_pages_are_not_found(world, browser):
    browser.login("admin_a")
    for path in ("/beheer/berichten", "/beheer/bezorging"):
        refused = browser.get(path)
        assert refused.status_code == 404 and "Niet gevonden" in refused.get_data(as_text=True)


def test_the_pages_ask_for_a_log_in_first(world, browser):
    response = browser.get("/beheer/bezorging?status=dead")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/inloggen?next=/beheer/bezorging")
