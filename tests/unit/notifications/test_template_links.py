"""Every link in a default text stands on a line of its own (issue 17): a mail program that
finds `…/<id>.` links the full stop too, and the link gives a 404."""

from __future__ import annotations

import re

import pytest

from services.notifications.domain.templates import DEFAULTS, SAMPLE_CONTEXT, render

URL = re.compile(r"https?://\S+")
LINKS = {
    "preferences_url": "https://web.swv.test/ouders/voorkeuren/abc.def",
    "reports_url": "https://rapporten.swv.test",
    "link": "https://traject.swv.test/cases/1a2b3c4d",
}


def _bodies():
    for template in sorted(DEFAULTS):
        for language in sorted(DEFAULTS[template]):
            yield template, language, False
    for language in ("nl", "en"):
        yield "any", language, True  # the neutral text of group channels


@pytest.mark.parametrize(("template", "language", "group"), list(_bodies()))
def test_every_link_stands_alone_on_its_line(template, language, group):
    message = render(template, language, {**SAMPLE_CONTEXT, **LINKS}, group=group)
    urls = URL.findall(message.body)
    for url in urls:
        assert url[-1] not in ".,;:!?)'\"", (template, language, url)
        assert url in [line.strip() for line in message.body.splitlines()], (template, url)
    if template == "report.ready" or group:
        assert urls  # the messages that carry a link do
