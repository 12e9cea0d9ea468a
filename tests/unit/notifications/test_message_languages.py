"""The messages to guardians in six languages (issue 13): every parent-facing text has its
translation in each catalog (the test lists what is missing), a translation keeps the Dutch
text's variables, the committed .mo is current, and a text a catalog lacks comes out in Dutch -
never a key or code."""

from __future__ import annotations

import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

from services.notifications.catalogs import parent_texts, template_catalog
from services.notifications.domain import templates
from services.notifications.domain.languages import (
    CATALOG_LANGUAGES,
    CATALOGS,
    LANGUAGES,
    PARENT_TEMPLATES,
    has_translation,
    translate,
)
from services.notifications.domain.templates import render, sample_context

_env = SandboxedEnvironment()
BRACES = re.compile(r"\{(\w+)\}")


def _variables(text: str) -> set[str]:
    return set(meta.find_undeclared_variables(_env.parse(text))) | set(BRACES.findall(text))


def test_every_parent_facing_message_exists_in_all_six_languages():
    missing = [
        f"{key} [{lang}]"
        for key in PARENT_TEMPLATES
        for lang in ("nl", "en")
        if lang not in templates.DEFAULTS.get(key, {})
    ]
    missing += [
        f"{lang}: {text[:60]!r} ({where})"
        for text, where in parent_texts()
        for lang in CATALOG_LANGUAGES
        if not has_translation(text, lang)
    ]
    assert missing == [], "texts without a translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_a_translation_keeps_the_variables_of_its_dutch_text(language):
    wrong = [
        text[:60]
        for text, _where in parent_texts()
        if _variables(translate(text, language)) != _variables(text)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", CATALOG_LANGUAGES)
def test_the_committed_catalogs_are_current(language):
    folder = CATALOGS / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as f:
        po = read_po(f)
    with open(folder / "messages.mo", "rb") as f:
        mo = read_mo(f)
    expected = {m.id for m in template_catalog() if m.id}
    assert {m.id for m in po if m.id} == expected, (
        "run: python -m services.notifications translations"
    )
    assert {m.id: m.string for m in mo if m.id} == {m.id: m.string for m in po if m.id and m.string}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", PARENT_TEMPLATES)
def test_each_message_to_a_guardian_renders_in_each_language(key, language):
    context = {**sample_context(key), "preferences_url": "https://web.test/ouders/voorkeuren/t"}
    if key == "guardian.sign_in_requested":
        context["sign_in_url"] = "https://web.test/ouders/inloggen/t"
    message = render(key, language, context)
    assert message.subject and "Eva Mulder" in message.body
    assert "https://web.test/ouders/voorkeuren/t" in message.body
    assert "{{" not in message.body and "{%" not in message.body
    if language != "nl":
        assert message.subject != render(key, "nl", context).subject


def test_turkish_dates_and_words():
    message = render("intervention.started", "tr", sample_context("intervention.started"))
    assert message.subject == "Daan için destek başladı"
    assert "15 Ekim 2026" in message.body and "Okuma güçlükleri ve disleksi" in message.body
    assert message.body.startswith("Sayın Eva Mulder,")


def test_a_text_missing_from_a_catalog_comes_out_in_dutch(monkeypatch):
    # The Dutch changed (as when the school's consent request gets new wording) and no catalog
    # has the new text yet: that text is Dutch, the rest of the message still Turkish.
    changed = ("Nieuwe vraag over het plan van {{ pupil }}", "Een tekst die nog niemand vertaalde.")
    monkeypatch.setitem(
        templates.DEFAULTS, "development_plan.consent_requested", {"nl": changed, "en": changed}
    )
    context = sample_context("development_plan.consent_requested")
    message = render("development_plan.consent_requested", "tr", context)
    assert message.subject == "Nieuwe vraag over het plan van Daan"
    assert "Een tekst die nog niemand vertaalde." in message.body
    assert message.body.startswith("Sayın Eva Mulder,")  # the greeting still Turkish
    assert not has_translation(changed[1], "tr")


def test_an_unknown_language_is_dutch_and_translate_never_returns_a_key():
    assert render("intervention.started", "xx", sample_context("intervention.started")).subject == (
        "Ondersteuning gestart voor Daan"
    )
    assert translate("Een tekst zonder vertaling", "ar") == "Een tekst zonder vertaling"


def test_the_administrators_own_texts_still_apply_in_dutch_and_english():
    own = {
        "intervention.started": {"nl": ("Eigen {{ pupil }}", "Eigen tekst."), "en": ("Own", "x")}
    }
    context = sample_context("intervention.started")
    assert render("intervention.started", "nl", context, overrides=own).subject == "Eigen Daan"
    assert render("intervention.started", "en", context, overrides=own).subject == "Own"
    # A guardian reading Turkish gets the default text in Turkish.
    turkish = render("intervention.started", "tr", context, overrides=own)
    assert turkish.subject == "Daan için destek başladı"
