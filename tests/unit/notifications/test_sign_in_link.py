"""A guardian's sign-in link (issue 13): the built-in policy sends it at once, at night and in
the holidays too, to that guardian alone; the row holds the link's id and expiry, never the link;
the link is signed at send time for the cases service, and an expired one is not sent."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from services.notifications.domain.planning import plan_event
from services.notifications.domain.policy import built_in_policies
from services.notifications.domain.templates import render
from services.notifications.service_layer.messages import (
    SIGN_IN_PURPOSE,
    DeliveryRules,
    sign_in_link,
)
from shared.signing import unsign
from tests.unit.notifications.builders import (
    GUARDIAN,
    PARTNERSHIP,
    audience,
    envelope,
    local,
    noord_autumn,
)

SECRET = "sign-in-link-test-secret-0123456789"
RULES = DeliveryRules("", "", "", link_secret=SECRET, web_url="https://web.test")


def requested(at):
    link_id = uuid4()
    event = envelope(
        "guardian.sign_in_requested",
        occurred_at=at,
        guardian_id=str(GUARDIAN.id),
        link_id=str(link_id),
        expires_at=(at + timedelta(minutes=20)).isoformat(),
    )
    return event, link_id


def test_the_link_goes_out_at_once_even_at_night_in_the_holidays():
    night = local(2026, 10, 20, 23, 30)  # a Tuesday in the noord autumn holiday, 23:30
    event, link_id = requested(night)
    rows = plan_event(
        event, built_in_policies(PARTNERSHIP), audience(GUARDIAN), noord_autumn(), night
    )
    [row] = rows
    assert (row.address, row.channel, row.critical, row.send_at) == (
        GUARDIAN.email,
        "email",
        True,
        night,
    )
    assert row.context["link_id"] == str(link_id)
    assert "sign_in_url" not in row.context  # the link itself is never stored


def test_the_link_is_signed_at_send_time_and_not_after_it_expired():
    now = local(2026, 10, 15, 10)
    context = {"link_id": "abc", "link_expires_at": (now + timedelta(minutes=20)).isoformat()}
    url = sign_in_link(RULES, context, now)
    assert url is not None and url.startswith("https://web.test/ouders/inloggen/")
    claims = unsign(url.rsplit("/", 1)[1], SECRET, SIGN_IN_PURPOSE, now)
    assert claims["lid"] == "abc"
    assert sign_in_link(RULES, context, now + timedelta(minutes=21)) is None
    late = render(
        "guardian.sign_in_requested",
        "nl",
        {**context, "school": "De Linde", "recipient_name": "Eva"},
    )
    assert "verlopen" in late.body and "/ouders/" not in late.body
    fresh = render(
        "guardian.sign_in_requested",
        "en",
        {"school": "De Linde", "recipient_name": "Eva", "sign_in_url": url},
    )
    assert url in fresh.body and fresh.subject == "Your sign-in link for the parents' pages"
