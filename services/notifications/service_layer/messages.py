"""What a delivery writes: the message of a planned row (or a digest of several), the web page it
links to, the guardian's signed links (their settings, one-click unsubscribe, sign-in) and where
the transport sends it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from services.notifications.domain import tlv
from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.policy import SIGN_IN_EVENT, Policy
from services.notifications.domain.templates import Message, render, render_digest
from services.notifications.domain.transports import email_url, sms_url
from shared.signing import sign
from shared.web_links import link_for

# A policy's own texts per template and language: (subject, body).
Texts = dict[str, dict[str, tuple[str, str]]]


@dataclass(frozen=True)
class DeliveryRules:
    """Where messages go out and how hard we try."""

    mail_url: str
    sms_url: str
    public_url: str
    link_secret: str = ""
    reports_url: str = ""
    web_url: str = ""  # the web front end's public address: messages link to its pages
    # Who organises meetings in their invitations (receives the replies); empty: the mail
    # transport's sender.
    meeting_organizer: str = ""
    max_attempts: int = 8
    retry_base_seconds: int = 30
    stale_after_seconds: int = 300


SIGN_IN_PURPOSE = "guardian-sign-in"  # the cases service checks the same purpose
PREFERENCES_PURPOSE = "guardian-preferences"
PREFERENCES_LINK_TTL = timedelta(days=180)


def preferences_link(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> str:
    """The signed, expiring link in every message to a guardian: their settings page on the web
    front end's parents' pages (it needs no account). The API answers the same token at
    /api/v1/preferences/<token>, and sends a browser that opens it there on to this page."""
    token = _preferences_token(rules, guardian_id, partnership_id, now)
    return preferences_page(rules.web_url, token)


def preferences_page(web_url: str, token: str) -> str:
    """The web page of a guardian's settings for a preference token."""
    return f"{web_url}/ouders/voorkeuren/{token}"


def unsubscribe_headers(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> dict[str, str]:
    """List-Unsubscribe (RFC 2369) with one-click (RFC 8058) for a message to a guardian: a POST
    to the signed link turns informational messages off (requests and reminders still come)."""
    token = _preferences_token(rules, guardian_id, partnership_id, now)
    return {
        "List-Unsubscribe": f"<{rules.public_url}/api/v1/preferences/{token}/unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _preferences_token(
    rules: DeliveryRules, guardian_id: str, partnership_id: UUID, now: datetime
) -> str:
    return sign(
        {"gid": guardian_id, "pid": str(partnership_id)},
        rules.link_secret,
        PREFERENCES_PURPOSE,
        now,
        PREFERENCES_LINK_TTL,
    )


def sign_in_link(rules: DeliveryRules, context: dict[str, Any], now: datetime) -> str | None:
    """The guardian's one-time sign-in link to the web front end, signed now (the cases service
    spends it once); None when it has expired meanwhile."""
    expires_at = datetime.fromisoformat(context["link_expires_at"])
    if expires_at <= now:
        return None
    token = sign(
        {"lid": context["link_id"]}, rules.link_secret, SIGN_IN_PURPOSE, now, expires_at - now
    )
    return f"{rules.web_url}/ouders/inloggen/{token}"


def policy_texts(policy: Policy) -> Texts:
    """A policy's own texts as render takes them."""
    return {
        k: {lang: (v[0], v[1]) for lang, v in langs.items()}
        for k, langs in policy.templates.items()
    }


def transport_url(row: NotificationRow, rules: DeliveryRules) -> str:
    """The Apprise URL a row's message goes to."""
    if row.channel == "email":
        return email_url(rules.mail_url, row.address)
    if row.channel == "sms":
        return sms_url(rules.sms_url, row.address)
    return row.address


def mail_headers(row: NotificationRow, rules: DeliveryRules, now: datetime) -> dict[str, str]:
    """E-mail headers of a message: the unsubscribe link on messages to a guardian."""
    if row.recipient_kind != "guardian" or not rules.link_secret:
        return {}
    return unsubscribe_headers(rules, row.recipient_id, row.partnership_id, now)


def compose(
    group: list[NotificationRow],
    language: str,
    rules: DeliveryRules,
    now: datetime,
    texts: Texts,
    details: dict[str, Any] | None = None,
) -> Message:
    """One message (with `details` asked at send time), or a daily digest listing each item."""
    row = group[0]
    context = {**linked_context(row, rules), "reports_url": rules.reports_url or None}
    context |= details or {}
    if row.recipient_kind == "guardian" and rules.link_secret:
        context["preferences_url"] = preferences_link(
            rules, row.recipient_id, row.partnership_id, now
        )
    if row.template == SIGN_IN_EVENT:
        context["sign_in_url"] = sign_in_link(rules, context, now)
    if row.template == tlv.PARENTS_TEMPLATE:
        context["decision_url"] = tlv.decision_url(rules.web_url, context)
    if len(group) == 1:
        return render(row.template, language, context, row.channel == "group", texts)
    items = [render(r.template, language, linked_context(r, rules), overrides=texts) for r in group]
    return render_digest(items, language, context)


def linked_context(row: NotificationRow, rules: DeliveryRules) -> dict[str, Any]:
    """The row's context and the web page it is about, for staff and group channels (the link
    holds only ids and needs a log-in; guardians do not sign in to the staff pages)."""
    context = dict(row.context)
    if row.recipient_kind == "group":  # a case's or plan's page at most: no report's id
        ids = {key: context.get(key) for key in ("case_id", "plan_id")}
        context["link"] = link_for(rules.web_url, ids)
    elif row.recipient_kind != "guardian":
        context["link"] = link_for(rules.web_url, context)
    return context
