"""Every page of every role with axe-core (issue 12): a crawler, so pages added later are checked
without a list to keep up to date. Per role (coordinator, teacher, director, consultant,
administrator, parent) it logs in on the demo data in Debian's Chromium, then follows every
same-origin link it finds on the pages — GET only, a few links deep, never log-out, language
switches or downloads (anything that is not HTML) — and runs axe-core on each page kind once (a
pupil's page is one kind, however many pupils link to it). It prints "N pages, 0 violations"
(serious or critical) and fails listing each page with its violations."""

from __future__ import annotations

import json
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from services.cases.service_layer.guardian_access import SIGN_IN_PURPOSE
from shared.signing import sign
from shared.streams import ENVELOPE_FIELD
from tests.conftest import NOW
from tests.e2e.conftest import CasesStack, Client
from tests.e2e.test_web import PASSWORD, demo  # noqa: F401  (a fixture)
from tests.e2e.test_web_roles import roles_web_url  # noqa: F401  (a fixture)
from tests.support.accessibility import describe, violations
from tests.support.documents import PDF
from tests.support.processes import wait_until

pytestmark = pytest.mark.timeout(900)  # a few dozen pages, axe-core on each

STAFF = {
    "coordinator": "ib@regenboog.demo",
    "teacher": "leerkracht@regenboog.demo",
    "director": "directie@regenboog.demo",
    "consultant": "consulent@swv-haarlemmermeer.demo",
    "administrator": "beheer@swv-haarlemmermeer.demo",
}
PARENT_EMAIL = "1001@ouders.demo"  # Daan's mother in the demo data
MAX_DEPTH = 3  # links followed from the role's start page
MAX_PAGES = 80  # per role: a guard against a crawl that never ends
SKIP = re.compile(r"/(uitloggen|taal)(/|$)|/api/v1/|\.(xlsx|pdf|csv|ics|zip)$")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")


def kind(url: str) -> str:
    """A page kind: the path with ids as ':id' (a list's filters and pages are the same page)."""
    return ID.sub(":id", urlsplit(url).path)


@dataclass
class Crawl:
    """One role's pages: what was checked, and what failed."""

    role: str
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _links(page: Page, origin: str) -> Iterator[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))"
    )
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        if url.startswith(origin) and not SKIP.search(urlsplit(url).path):
            yield url


def _is_html(page: Page, url: str) -> bool:
    response = page.request.get(url, max_redirects=5)
    return response.headers.get("content-type", "").startswith("text/html")


def crawl(page: Page, origin: str, role: str) -> Crawl:
    """Breadth-first from the page the role landed on; each page kind checked once."""
    result = Crawl(role)
    seen = {kind(page.url)}
    checked: set[str] = set()
    queue = deque([(page.url, 0)])
    while queue and len(result.checked) < MAX_PAGES:
        url, depth = queue.popleft()
        if not _is_html(page, url):
            continue
        response = page.goto(url)
        if kind(page.url) in checked:  # a redirect to a page already checked ("/")
            continue
        checked.add(kind(page.url))
        status = response.status if response else 0
        if status >= 500:
            result.problems.append(f"{role} {url}: HTTP {status}")
        elif status >= 400:  # a link this role cannot follow: worth a look, not a failure
            print(f"  {role}: {url} answers {status}", file=sys.stderr)
        found = violations(page)
        result.checked.append(url)
        print(f"  {role}: {urlsplit(url).path} ({len(found)})", file=sys.stderr, flush=True)
        if found:
            result.problems.append(f"{role} {url}:\n{describe(found)}")
        if depth >= MAX_DEPTH:
            continue
        for link in _links(page, origin):
            if kind(link) not in seen:
                seen.add(kind(link))
                queue.append((link, depth + 1))
    return result


def _staff_log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen"))


def _parent_log_in(page: Page, base_url: str, stack: CasesStack) -> None:
    """Ask a link on the parents' page, then open it as the e-mail would (signed with the
    processes' secret for the link the cases service recorded; no mail server needed)."""
    page.goto(f"{base_url}/ouders/inloggen")
    page.get_by_label("E-mailadres").fill(PARENT_EMAIL)
    page.get_by_role("button", name="Stuur mij een inloglink").click()

    def link_id() -> str | None:
        for _id, fields in stack.redis.xrange(stack.stream):
            envelope = json.loads(fields[ENVELOPE_FIELD])
            if envelope["type"] == "guardian.sign_in_requested":
                return str(envelope["data"]["link_id"])
        return None

    lid = wait_until(link_id, timeout=20, message="guardian.sign_in_requested")
    token = sign({"lid": lid}, stack.env["JWT_SECRET"], SIGN_IN_PURPOSE, NOW, timedelta(minutes=20))
    page.goto(f"{base_url}/ouders/inloggen/{token}")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/ouders/$"))


def _refer(ib: Client, case_id: str, guardian_id: str, plan_id: str | None = None) -> str:
    """The case's plan (a new one unless given) agreed and evaluated with the decision to refer:
    the referral's id."""
    if plan_id is None:
        plan = ib.post(
            f"/api/v1/cases/{case_id}/development-plans",
            {
                "exit_destination": "vmbo_kb",
                "hindering_factors": ["Ernstige leesachterstand"],
                "supporting_factors": ["Betrokken ouders"],
                "action_plan": "Dagelijks leesbegeleiding in een klein groepje.",
                "scenarios": [{"expected_effect": "Leest AVI E4 vlot", "review_by": "2027-01-29"}],
                "agreed_end_date": "2027-07-09",
                "evaluation_dates": ["2026-11-26", "2027-03-01"],
                "created_on": "2026-10-15",
            },
            expect=201,
        )
        path = f"/api/v1/development-plans/{plan['id']}"
        ib.post(f"{path}/consultation", {"held_on": "2026-10-15", "participants": ["ouders"]})
        ib.post(f"{path}/pupil-view", {"heard_on": "2026-10-15"})
        ib.post(f"{path}/consent-request", {"requested_on": "2026-10-15"})
        body = {"decision": "agreed", "recorded_on": "2026-10-15", "guardian_ids": [guardian_id]}
        ib.post(f"{path}/consent", body)
        plan_id = plan["id"]
    body = {"held_on": "2026-10-15", "decision": "refer", "referral_destination": "so"}
    case = ib.post(f"/api/v1/development-plans/{plan_id}/evaluation", body)
    return str(case["referrals"][0]["id"])


def _tlv_applications(stack: CasesStack, ib: Client) -> None:
    """TLV applications (issue 14) for the crawl to find: Daan's a draft with a document (the
    coordinator's, director's and parent's forms), Noor's submitted (the consultant's)."""
    pupils = {p["given_name"]: p for p in ib.get("/api/v1/pupils")["items"]}
    for name in ("Daan", "Noor"):
        pupil = pupils[name]
        [case] = ib.get("/api/v1/cases", params={"pupil_id": pupil["id"]})["items"]
        case = ib.get(f"/api/v1/cases/{case['id']}")
        active = [p["id"] for p in case["plans"] if p["status"] == "active"]
        referral = _refer(ib, case["id"], pupil["guardians"][0]["id"], next(iter(active), None))
        application = f"/api/v1/referrals/{referral}/application"
        files = {"file": ("verslag.pdf", PDF, "application/pdf")}
        doc = ib.call("POST", f"/api/v1/cases/{case['id']}/documents", expect=201, files=files)
        ib.post(application, {"document_ids": [doc["id"]]}, expect=201)
        if name == "Noor":
            director = stack.client().login(STAFF["director"], PASSWORD)
            director.post(f"{application}/sign-off", {})
            ib.post(f"{application}/submit", {})


def test_every_page_of_every_role_passes_axe(
    cases_stack: CasesStack,
    demo: Client,  # noqa: F811
    roles_web_url: str,  # noqa: F811
    chromium: Browser,
) -> None:
    _tlv_applications(cases_stack, demo)
    crawls = []
    roles = [*STAFF, "parent"]
    for role in roles:
        context = chromium.new_context(
            viewport={"width": 1280, "height": 900}, locale="nl-NL", bypass_csp=True
        )
        page = context.new_page()
        try:
            if role == "parent":
                _parent_log_in(page, roles_web_url, cases_stack)
            else:
                _staff_log_in(page, roles_web_url, STAFF[role])
            crawls.append(crawl(page, roles_web_url, role))
        finally:
            context.close()
    pages = sum(len(c.checked) for c in crawls)
    problems = [p for c in crawls for p in c.problems]
    per_role = ", ".join(f"{c.role} {len(c.checked)}" for c in crawls)
    print(f"\n{pages} pages, {len(problems)} violations ({per_role})")
    assert not problems, "\n".join(problems)
    assert all(len(c.checked) >= 2 for c in crawls), per_role  # each role got past its start
