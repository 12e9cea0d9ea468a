"""The second factor's rules: enrolment, the code at log-in (with drift, no replay), recovery
codes that work once, the partnership's requirement, and secrets sealed at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from services.cases.domain import second_factor as sf
from services.cases.domain.second_factor import SecondFactor
from shared.crypto import SecretBox, new_key

NOW = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
PLAIN = SecretBox(None)


def code_at(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def enrolled(at: datetime = NOW) -> tuple[SecondFactor, str, list[str]]:
    state = SecondFactor()
    secret = sf.start_enrolment(state, "ib@school.test", PLAIN).secret
    codes = sf.check_at_log_in(state, False, code_at(secret, at), at, PLAIN)
    return state, secret, codes


def test_enrolment_gives_an_otpauth_uri_and_stays_pending_until_a_first_code():
    state = SecondFactor()
    enrolment = sf.start_enrolment(state, "ib@school.test", PLAIN)
    assert enrolment.otpauth_uri.startswith("otpauth://totp/Passend%20onderwijs:ib%40school.test")
    assert f"secret={enrolment.secret}" in enrolment.otpauth_uri
    assert not state.enabled and state.secret == f"plain:{enrolment.secret}"
    # Pending, not required: a log-in without a code is still let in.
    assert sf.check_at_log_in(state, False, None, NOW, PLAIN) == [] and not state.enabled
    codes = sf.check_at_log_in(state, False, code_at(enrolment.secret, NOW), NOW, PLAIN)
    assert state.enabled and len(codes) == 10 and len(set(codes)) == 10
    assert state.recovery_code_hashes == [sf.hash_recovery_code(c) for c in codes]
    assert not set(codes) & set(state.recovery_code_hashes)  # only hashes are kept


def test_a_wrong_code_does_not_confirm_an_enrolment():
    state = SecondFactor()
    sf.start_enrolment(state, "ib@school.test", PLAIN)
    with pytest.raises(sf.SecondFactorInvalid):
        sf.check_at_log_in(state, False, "000000", NOW, PLAIN)
    assert not state.enabled


def test_an_enrolled_account_needs_a_right_code_each_used_once():
    state, secret, _ = enrolled()
    with pytest.raises(sf.SecondFactorRequired) as missing:
        sf.check_at_log_in(state, False, None, NOW, PLAIN)
    assert missing.value.code == "second_factor_required" and missing.value.status == 401
    with pytest.raises(sf.SecondFactorInvalid) as wrong:
        sf.check_at_log_in(state, False, "123456", NOW, PLAIN)
    assert wrong.value.code == "second_factor_invalid"
    with pytest.raises(sf.SecondFactorInvalid):  # the code that confirmed: not twice
        sf.check_at_log_in(state, False, code_at(secret, NOW), NOW, PLAIN)
    later = NOW + timedelta(seconds=30)
    assert sf.check_at_log_in(state, False, code_at(secret, later), later, PLAIN) == []


def test_a_phone_one_step_off_works_two_steps_do_not():
    state, secret, _ = enrolled(NOW - timedelta(minutes=5))
    behind = NOW - timedelta(seconds=30)
    assert sf.check_at_log_in(state, False, code_at(secret, behind), NOW, PLAIN) == []
    with pytest.raises(sf.SecondFactorInvalid):
        sf.check_at_log_in(state, False, code_at(secret, NOW + timedelta(seconds=61)), NOW, PLAIN)


def test_a_recovery_code_works_once():
    state, _, codes = enrolled()
    assert sf.check_at_log_in(state, False, codes[3].upper(), NOW, PLAIN) == []
    assert len(state.recovery_code_hashes) == 9
    with pytest.raises(sf.SecondFactorInvalid):
        sf.check_at_log_in(state, False, codes[3], NOW, PLAIN)


def test_the_partnership_requires_it_of_staff_only():
    assert sf.required_for("coordinator", True) and sf.required_for("admin", True)
    assert not sf.required_for("guardian", True) and not sf.required_for("service", True)
    assert not sf.required_for("teacher", False)
    with pytest.raises(sf.SecondFactorEnrolmentRequired) as needed:
        sf.check_at_log_in(SecondFactor(), True, None, NOW, PLAIN)
    assert needed.value.code == "second_factor_enrolment_required"
    pending = SecondFactor()
    sf.start_enrolment(pending, "ib@school.test", PLAIN)
    with pytest.raises(sf.SecondFactorEnrolmentRequired):
        sf.check_at_log_in(pending, True, None, NOW, PLAIN)


def test_disabling_forgets_everything():
    state, _, _ = enrolled()
    sf.disable(state)
    assert state == SecondFactor()


def test_a_secret_is_encrypted_at_rest_when_there_is_a_key():
    box = SecretBox.from_setting(new_key())
    state = SecondFactor()
    secret = sf.start_enrolment(state, "ib@school.test", box).secret
    assert state.secret is not None and state.secret.startswith("fernet:")
    assert secret not in state.secret and box.open(state.secret) == secret
    assert sf.check_at_log_in(state, False, code_at(secret, NOW), NOW, box)
    assert box.open("plain:ABC") == "ABC"  # stored before the key was set: still read
    with pytest.raises(ValueError):
        PLAIN.open(state.secret)
