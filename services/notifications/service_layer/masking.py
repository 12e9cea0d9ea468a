"""Masking addresses in logs and previews: enough to recognise, not enough to leak."""

from __future__ import annotations


def mask(address: str, channel: str) -> str:
    """'e.mulder@example.nl' -> 'e***@example.nl'; phones keep their last 3 digits."""
    if channel == "group":
        return "group channel"
    if channel == "email" and "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return f"***{address[-3:]}" if len(address) > 3 else "***"
