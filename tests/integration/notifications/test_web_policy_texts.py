"""A policy's own message texts on the web's policy page (once the console's), with the real
notifications API over HTTP and both databases: the administrator writes the school's own Dutch
wording next to the default text and the variables, sees a sample message, saves; the API shows
the text and the next event of that type reaches the real SMTP server in that wording. An invalid
text is refused at its field in Dutch and nothing changes; texts of an event type taken out of the
policy are dropped with a notice; a coordinator edits no partnership policy, as in the API.

The form is sent back as a browser would: every field the page shows, with its value."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from tests.integration.notifications.helpers import bearer
from tests.integration.notifications.test_delivery import (
    GUARDIAN,
    deliver_due,
    guardian_row,
    started_case,
)

KEY = "intervention.started"  # support_started: the guardian and the teacher, at once
NL = f"text.{KEY}.nl"
SUBJECT = "Extra begeleiding voor {{ pupil }}"
BODY = (
    "Vanaf {{ starts_on }} krijgt {{ pupil }} bij ons extra begeleiding "
    "({{ domain_label }}). Uiterlijk {{ evaluate_by }} bespreken we samen hoe het gaat."
)


class _PolicyForm(HTMLParser):
    """The fields of the page's policy form (the one without an action) as a browser sends them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = "action" not in a
        if not self._inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") == "checkbox":
            if "checked" in a:
                self.fields.append((a["name"], a.get("value") or "on"))
        elif tag == "input":
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._options if selected] or [self._options[0][0]]
            self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text))
            self._textarea = None


def form_of(html: str, **changes: str | list[str]) -> dict[str, list[str]]:
    """The form on the page as a browser sends it, with some fields changed."""
    reader = _PolicyForm()
    reader.feed(html)
    sent: dict[str, list[str]] = {}
    for name, value in reader.fields:
        sent.setdefault(name, []).append(value)
    for name, value in changes.items():
        sent[name] = value if isinstance(value, list) else [value]
    return sent


def policy_of(notifications_client, world, key: str) -> dict[str, Any]:
    answer = notifications_client.get("/api/v1/policies/", headers=bearer(world.tokens["admin_a"]))
    [policy] = [p for p in answer.json if p["key"] == key]
    return policy


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def console(web, world):
    """The administrator's browser on the web's policy pages."""
    web.login("admin_a")
    return web


def test_the_administrator_writes_the_schools_own_dutch_text_and_the_parent_gets_it(
    console, world, notifications_client, pipeline, notifications, mail_server
):
    policy = policy_of(notifications_client, world, "support_started")
    assert policy["templates"] == {}
    edit = f"/beheer/berichten/{policy['id']}/wijzigen"
    shown = page(console.get(edit))
    # Per language a subject and a body, empty, with the default as placeholder and block, the
    # variables the validator accepts, and a sample message from templates.SAMPLE_CONTEXT.
    assert f'name="{NL}.subject" value=""' in shown and f'name="text.{KEY}.en.body"' in shown
    assert 'placeholder="Ondersteuning gestart voor {{ pupil }}"' in shown
    assert "<summary>Standaardtekst</summary>" in shown
    assert "<code>{{ domain_label }}</code>" in shown and "voornaam van de leerling" in shown
    sample = shown[shown.index(f'id="{NL}.sample"') :]
    assert "Voorbeeldtekst" in sample and "Ondersteuning gestart voor Daan" in sample
    assert "Met vriendelijke groet,\nOBS De Regenboog" in sample

    # "Voorbeeld" shows the typed text as the sample message and saves nothing.
    typed = form_of(shown, **{f"{NL}.subject": SUBJECT, f"{NL}.body": BODY})
    previewed = console.post(f"/beheer/berichten/{policy['id']}/voorbeeld", typed, edit)
    sample = page(previewed)[page(previewed).index(f'id="{NL}.sample"') :]
    assert previewed.status_code == 200 and "Extra begeleiding voor Daan" in sample
    assert "Vanaf 15 oktober 2026 krijgt Daan bij ons extra begeleiding" in sample
    assert policy_of(notifications_client, world, "support_started")["templates"] == {}

    saved = console.post(edit, typed)
    assert saved.status_code == 302, page(saved)
    assert "Beleid “Start van ondersteuning” is opgeslagen." in page(console.get(saved.location))
    stored = policy_of(notifications_client, world, "support_started")["templates"]
    assert stored == {KEY: {"nl": [SUBJECT, BODY]}}  # English: the default, as before
    again = page(console.get(edit))
    assert f'name="{NL}.subject" value="{SUBJECT}"' in again

    # The next intervention: the guardian's e-mail at the real SMTP server is in this wording.
    row = guardian_row(notifications, started_case(world, pipeline))
    assert deliver_due(notifications)[row["id"]] == "sent"
    [mail] = [m for m in mail_server.wait_for(1) if m.rcpt_tos == (GUARDIAN,)]
    assert mail.subject == "Extra begeleiding voor Kind a1"
    assert mail.body.startswith(
        "Beste Ouder a1,\n\n"
        "Vanaf 7 september 2026 krijgt Kind a1 bij ons extra begeleiding "
        "(Leesproblemen en dyslexie). "
        "Uiterlijk 2 november 2026 bespreken we samen hoe het gaat.\n\n"
        "Met vriendelijke groet,\nSchool A1"
    )


@pytest.mark.parametrize(
    ("body", "dutch"),
    [
        ("Voor {{ kind }}.", "&#39;kind&#39; hoort niet bij dit bericht; wel: domain"),
        ("{{ pupil.__class__ }}", "Niet toegestaan in een bericht: &#39;__class__&#39;"),
        ("Voor {{ pupil }.", "Onverwacht &#39;}&#39;"),
    ],
)
def test_an_invalid_text_is_shown_at_its_field_and_nothing_changes(
    console, world, notifications_client, notifications, body, dutch
):
    before = policy_of(notifications_client, world, "support_started")
    edit = f"/beheer/berichten/{before['id']}/wijzigen"
    typed = form_of(
        page(console.get(edit)),
        name="Nieuwe naam",
        **{f"{NL}.subject": SUBJECT, f"{NL}.body": body},
    )
    refused = console.post(edit, typed)
    shown = page(refused)
    assert refused.status_code == 422
    assert "Er is een probleem" in shown
    problem = shown[shown.index(f'id="err-{NL}"') :]
    assert problem.split("</ul>")[0].count("<li>") == 1 and dutch in problem.split("</ul>")[0]
    assert f'aria-invalid="true" aria-describedby="err-{NL} text-variables"' in shown
    assert 'value="Nieuwe naam"' in shown and f'value="{SUBJECT}"' in shown  # as typed
    assert policy_of(notifications_client, world, "support_started") == before


def test_texts_of_an_event_taken_out_of_the_policy_are_dropped_with_a_notice(
    console, world, notifications_client
):
    policy = policy_of(notifications_client, world, "evaluation_meeting")
    edit = f"/beheer/berichten/{policy['id']}/wijzigen"
    cancelled = "development_plan.meeting_cancelled"
    own = {
        f"text.{cancelled}.nl.subject": "Het gesprek van {{ meeting_at }} gaat niet door",
        "text.development_plan.meeting_moved.en.subject": "New time: {{ meeting_at }}",
    }
    assert console.post(edit, form_of(page(console.get(edit)), **own)).status_code == 302
    stored = policy_of(notifications_client, world, "evaluation_meeting")["templates"]
    assert set(stored) == {cancelled, "development_plan.meeting_moved"}
    assert stored[cancelled]["nl"][0] == "Het gesprek van {{ meeting_at }} gaat niet door"

    shown = page(console.get(edit))
    events = ["development_plan.meeting_planned", "development_plan.meeting_moved"]
    saved = console.post(edit, form_of(shown, event_types=events))
    assert saved.status_code == 302, page(saved)
    notice = page(console.get(saved.location))
    assert "De eigen teksten van Evaluatiegesprek afgezegd zijn vervallen" in notice
    after = policy_of(notifications_client, world, "evaluation_meeting")
    assert after["event_types"] == events
    assert after["templates"] == {
        "development_plan.meeting_moved": stored["development_plan.meeting_moved"]
    }


def test_a_coordinator_cannot_edit_the_partnerships_policies(notifications_client, world, console):
    before = policy_of(notifications_client, world, "support_started")
    edit = f"/beheer/berichten/{before['id']}/wijzigen"
    typed = form_of(page(console.get(edit)), **{f"{NL}.subject": SUBJECT, f"{NL}.body": BODY})
    console.post("/uitloggen", {}, "/beheer/berichten")

    console.login("coordinator_a1")
    assert console.get(edit).status_code == 404  # not offered to the role
    refused = console.post(edit, typed, "/beheer/bezorging")
    assert refused.status_code == 404
    api = notifications_client.put(
        f"/api/v1/policies/{before['id']}",
        json={"key": "support_started", "name": "x", "event_types": [KEY]},
        headers={"Authorization": f"Bearer {world.tokens['coordinator_a1']}"},
    )
    assert api.status_code == 403  # the API refuses it too
    assert policy_of(notifications_client, world, "support_started") == before
