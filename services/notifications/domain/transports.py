"""Apprise URLs for one recipient: the partnership's transport plus the recipient's address."""

from __future__ import annotations

from urllib.parse import quote


def email_url(transport: str, address: str) -> str:
    """The mail transport (an Apprise mailto URL) with the recipient added."""
    separator = "&" if "?" in transport else "?"
    return f"{transport}{separator}to={quote(address, safe='@')}"


def sms_url(template: str, phone: str) -> str:
    """The SMS transport template with the recipient's number filled in for `{phone}`."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return template.replace("{phone}", quote(digits, safe="+"))
