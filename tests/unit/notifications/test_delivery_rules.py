"""Small pure rules of delivery: retry backoff, masked addresses, Apprise URLs per recipient."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from services.notifications.domain.transports import email_url, sms_url
from services.notifications.service_layer.handlers import backoff
from services.notifications.service_layer.masking import mask


@pytest.mark.parametrize(("attempt", "seconds"), [(1, 30), (2, 60), (3, 120), (6, 960), (20, 3600)])
def test_backoff_doubles_with_twenty_percent_jitter_up_to_an_hour(attempt, seconds):
    rng = random.Random(7)
    for _ in range(50):
        delay = backoff(attempt, 30, rng)
        assert timedelta(seconds=seconds * 0.8) <= delay <= timedelta(seconds=seconds * 1.2)


def test_backoff_is_jittered():
    rng = random.Random(1)
    assert len({backoff(3, 30, rng) for _ in range(10)}) > 1


@pytest.mark.parametrize(
    ("address", "channel", "masked"),
    [
        ("e.mulder@example.nl", "email", "e***@example.nl"),
        ("+31612345678", "sms", "***678"),
        ("json://secret.example/hook?token=abc", "group", "group channel"),
        ("12", "sms", "***"),
    ],
)
def test_addresses_are_masked(address, channel, masked):
    assert mask(address, channel) == masked


def test_the_recipient_is_added_to_the_mail_transport():
    base = "mailto://127.0.0.1:2525?from=noreply@swv.test&mode=insecure"
    assert email_url(base, "o.de+test@x.nl") == f"{base}&to=o.de%2Btest@x.nl"
    assert email_url("mailtos://smtp.example.nl", "a@b.nl") == "mailtos://smtp.example.nl?to=a@b.nl"


def test_the_phone_number_is_filled_into_the_sms_template():
    assert sms_url("msgbird://KEY/{phone}", "+31 6 1234 5678") == "msgbird://KEY/+31612345678"
