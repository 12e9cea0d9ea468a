"""A guardian's channel choice narrows what the policies send, it never silences a message."""

from __future__ import annotations

import pytest

from services.notifications.domain.channel_choice import from_text, left_out, normalise, to_text


@pytest.mark.parametrize(
    ("channel", "chosen", "also_planned", "skipped"),
    [
        # chose SMS, the policy sends e-mail and SMS: the e-mail is left out, the SMS goes
        ("email", ("sms",), {"sms"}, True),
        ("sms", ("sms",), {"email"}, False),
        # chose e-mail: the SMS of the same message is left out
        ("sms", ("email",), {"email"}, True),
        # chose both, or nothing: every row goes
        ("email", ("email", "sms"), {"sms"}, False),
        ("sms", ("email", "sms"), {"email"}, False),
        ("email", None, {"sms"}, False),
        ("sms", (), {"email"}, False),
        # a group channel (a Teams webhook) is never a guardian's choice
        ("group", ("sms",), {"sms"}, False),
    ],
)
def test_a_row_on_a_channel_not_chosen_is_left_out_when_a_chosen_one_carries_it(
    channel, chosen, also_planned, skipped
):
    assert left_out(channel, chosen, also_planned) is skipped


def test_a_message_the_policy_has_only_on_another_channel_is_never_silenced():
    # A consent request planned by e-mail only, for a guardian who chose SMS: it still goes.
    assert left_out("email", ("sms",), set()) is False
    # The school has no phone number: no SMS row was planned, so the e-mail is the fallback.
    assert left_out("email", ("sms",), {"email"}) is False


def test_the_message_s_own_channel_does_not_count_as_another_one():
    assert left_out("email", ("sms",), {"email"}) is False
    assert left_out("email", ("sms",), {"email", "sms"}) is True


def test_choices_are_stored_as_short_text_in_a_fixed_order():
    assert to_text(["sms", "email", "sms"]) == "email,sms"
    assert to_text(["sms"]) == "sms"
    assert to_text(None) is None and to_text([]) is None
    assert from_text("email,sms") == ("email", "sms")
    assert from_text("sms") == ("sms",)
    assert from_text(None) is None and from_text("") is None
    assert from_text("pigeon") is None  # unreadable: no choice, the policy decides


def test_unknown_channels_are_refused():
    with pytest.raises(ValueError, match="pigeon"):
        normalise(["email", "pigeon"])
    with pytest.raises(ValueError):
        normalise(["group"])  # a school's group channel is not the guardian's to choose
    assert normalise(["sms", "email"]) == ("email", "sms")
