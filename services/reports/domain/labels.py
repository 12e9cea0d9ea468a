"""Dutch and English labels of the report's figures and codes (Dutch first, DESIGN.md §1).

The codes every service shares (support domains, effects, decisions, referral destinations, TLV
categories) take their words from shared/support_labels.py, capitalised where they begin a row or
a heading; a partnership's own codes fall back to the code itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import support_labels as vocabulary
from shared.dates import written

LANGUAGES = ("nl", "en")

FIGURES: dict[str, tuple[str, str]] = {
    "interventions.started": ("Basisinterventies gestart", "Basic interventions started"),
    "interventions.evaluated": ("Basisinterventies geëvalueerd", "Basic interventions evaluated"),
    "interventions.by_outcome": ("Effect", "Effect"),
    "interventions.evaluated_on_time": ("Op tijd geëvalueerd", "Evaluated on time"),
    "interventions.share_evaluated_on_time": (
        "Aandeel op tijd geëvalueerd",
        "Share evaluated on time",
    ),
    "interventions.median_days": ("Mediane duur (dagen)", "Median duration (days)"),
    "interventions.by_domain": ("Domein", "Domain"),
    "interventions.outside_support_profile": (
        "Interventies buiten het ondersteuningsprofiel",
        "Interventions outside the support profile",
    ),
    "interventions.extra_started": ("Extra interventies gestart", "Extra interventions started"),
    "development_plans.new": ("OPP's nieuw", "Development plans new"),
    "development_plans.active": (
        "OPP's actief op de einddatum",
        "Development plans active at the end of the period",
    ),
    "development_plans.closed": ("OPP's afgesloten", "Development plans closed"),
    "development_plans.closed_by_reason": ("Afgesloten wegens", "Closed because of"),
    "development_plans.evaluation_decisions": ("Besluit na evaluatie", "Decision at evaluation"),
    "consent.agreed": ("Instemming ouders: akkoord", "Parents' consent: agreed"),
    "consent.declined": ("Instemming ouders: niet akkoord", "Parents' consent: declined"),
    "consent.median_days_to_answer": (
        "Mediane dagen tot antwoord ouders",
        "Median days to the parents' answer",
    ),
    "plan_evaluations.due": ("OPP-evaluaties gepland", "Plan evaluations due"),
    "plan_evaluations.on_time": ("OPP-evaluaties op tijd", "Plan evaluations on time"),
    "plan_evaluations.overdue": ("OPP-evaluaties te laat", "Plan evaluations overdue"),
    "plan_evaluations.open": ("OPP-evaluaties nog te houden", "Plan evaluations still to come"),
    "referrals.requested": ("Verwijzingen", "Referrals"),
    "referrals.by_destination": ("Verwijzingen naar", "Referrals to"),
    "admission_statements.submitted": ("TLV-aanvragen ingediend", "TLV applications submitted"),
    "admission_statements.submitted_without_agreement": (
        "TLV-aanvragen zonder instemming ouders",
        "TLV applications without the parents' agreement",
    ),
    "admission_statements.decided": ("TLV-besluiten", "TLV decisions"),
    "admission_statements.granted": ("TLV toegekend", "TLV granted"),
    "admission_statements.refused": ("TLV afgewezen", "TLV refused"),
    "admission_statements.granted_by_school_type": ("TLV toegekend voor", "TLV granted for"),
    "admission_statements.so_by_category": (
        "TLV so naar bekostigingscategorie",
        "TLV so by funding category",
    ),
    "admission_statements.median_days_to_decision": (
        "Mediane doorlooptijd TLV (dagen)",
        "Median TLV lead time (days)",
    ),
    "admission_statements.decided_late": (
        "TLV-besluiten na de beslistermijn",
        "TLV decisions after the deadline",
    ),
}

# The report's sections by their key, where a download names them (the PDF's headings).
SECTIONS: dict[str, tuple[str, str]] = {
    "admission_statements": (
        "Toelaatbaarheidsverklaringen",
        "Admission statements (toelaatbaarheidsverklaringen, TLV)",
    ),
}

# What each figure counts, said in the report itself (PDF, workbook, the definitions download and
# the JSON body's labels), so that a board reads e.g. "on time 0" beside "continue 1" right: the
# decisions count the conversations held in the period, the plan evaluations those planned in it.
EXPLANATIONS: dict[str, tuple[str, str]] = {
    "interventions.started": (
        "Basisinterventies met een startdatum in de periode.",
        "Basic interventions whose start date lies in the period.",
    ),
    "interventions.evaluated": (
        "Basisinterventies die in de periode zijn geëvalueerd, ook als ze eerder begonnen.",
        "Basic interventions evaluated in the period, also those that started earlier.",
    ),
    "interventions.by_outcome": (
        "De in de periode geëvalueerde basisinterventies naar effect: effectief, deels effectief "
        "of niet effectief.",
        "The basic interventions evaluated in the period by effect: effective, partly effective "
        "or not effective.",
    ),
    "interventions.evaluated_on_time": (
        "Van de geëvalueerde basisinterventies: geëvalueerd op of vóór de afgesproken "
        "evaluatiedatum.",
        "Of the basic interventions evaluated: evaluated on or before the agreed evaluation date.",
    ),
    "interventions.share_evaluated_on_time": (
        "Op tijd geëvalueerd gedeeld door geëvalueerd, als percentage.",
        "Evaluated on time divided by evaluated, as a percentage.",
    ),
    "interventions.median_days": (
        "De middelste duur in dagen van start tot evaluatie van de in de periode geëvalueerde "
        "basisinterventies: de helft duurde korter, de helft langer.",
        "The middle duration in days from start to evaluation of the basic interventions "
        "evaluated in the period: half took less, half took longer.",
    ),
    "interventions.by_domain": (
        "Per ondersteuningsdomein: basisinterventies gestart en geëvalueerd in de periode, en hun "
        "effect.",
        "Per support domain: basic interventions started and evaluated in the period, and their "
        "effect.",
    ),
    "interventions.outside_support_profile": (
        "Interventies (basis en extra) gestart in de periode in een domein dat het "
        "schoolondersteuningsprofiel van de school niet biedt.",
        "Interventions (basic and extra) started in the period in a domain the school's support "
        "profile does not offer.",
    ),
    "interventions.extra_started": (
        "Extra interventies, binnen een OPP, gestart in de periode.",
        "Extra interventions, under a development plan, started in the period.",
    ),
    "development_plans.new": (
        "OPP's opgesteld in de periode, of de ouders nu instemden of niet.",
        "Development plans drawn up in the period, whether the parents agreed or not.",
    ),
    "development_plans.active": (
        "OPP's die op de laatste dag van de periode van kracht waren: de ouders stemden in met het "
        "handelingsdeel en het OPP was nog niet afgesloten.",
        "Development plans in effect on the last day of the period: the parents agreed to the "
        "action plan and the plan was not closed yet.",
    ),
    "development_plans.closed": (
        "OPP's afgesloten in de periode.",
        "Development plans closed in the period.",
    ),
    "development_plans.closed_by_reason": (
        "De in de periode afgesloten OPP's naar reden.",
        "The development plans closed in the period by reason.",
    ),
    "development_plans.evaluation_decisions": (
        "OPP-evaluaties die in de periode zijn gehouden, naar besluit: voortzetten, terug naar "
        "basisondersteuning of verwijzen. Geteld op de dag van het gesprek, niet op de geplande "
        "datum: een gesprek in deze periode over een evaluatie die in een andere periode gepland "
        "stond, telt hier wel mee en bij 'OPP-evaluaties op tijd' niet.",
        "Plan evaluations held in the period, by decision: continue, back to basic support or "
        "refer. Counted on the day of the meeting, not on the planned date: a meeting in this "
        "period about an evaluation planned in another period counts here but not under 'Plan "
        "evaluations on time'.",
    ),
    "consent.agreed": (
        "Antwoorden van ouders op een verzoek om instemming met het handelingsdeel, vastgelegd in "
        "de periode: akkoord. Eén OPP kan meer antwoorden hebben (een gewijzigd handelingsdeel).",
        "Parents' answers to a request for consent to the action plan, recorded in the period: "
        "agreed. One plan may have several answers (a changed action plan).",
    ),
    "consent.declined": (
        "Antwoorden van ouders, vastgelegd in de periode: niet akkoord. Het OPP wordt dan niet van "
        "kracht.",
        "Parents' answers recorded in the period: declined. The plan then does not take effect.",
    ),
    "consent.median_days_to_answer": (
        "De middelste tijd in dagen van het verzoek om instemming tot het antwoord van de ouders.",
        "The middle time in days from the request for consent to the parents' answer.",
    ),
    "plan_evaluations.due": (
        "OPP-evaluaties met een geplande datum in de periode, van OPP's die van kracht werden (de "
        "ouders stemden in). Evaluaties van een OPP waarmee de ouders niet instemden, of dat vóór "
        "de datum is afgesloten, tellen niet mee. Op tijd + te laat + nog te houden.",
        "Plan evaluations planned in the period, of plans that took effect (the parents agreed). "
        "Evaluations of a plan the parents did not agree to, or that closed before the date, do "
        "not count. On time + overdue + still to come.",
    ),
    "plan_evaluations.on_time": (
        "Van de geplande OPP-evaluaties: gehouden op of vóór de geplande datum.",
        "Of the plan evaluations due: held on or before the planned date.",
    ),
    "plan_evaluations.overdue": (
        "Van de geplande OPP-evaluaties: later gehouden dan gepland, of nog niet gehouden terwijl "
        "de datum op de opsteldatum voorbij was.",
        "Of the plan evaluations due: held later than planned, or not held although the date had "
        "passed on the day the report was compiled.",
    ),
    "plan_evaluations.open": (
        "Van de geplande OPP-evaluaties: de datum komt nog (na de opsteldatum).",
        "Of the plan evaluations due: the date is still to come (after the day of compiling).",
    ),
    "referrals.requested": (
        "Verwijzingen aangevraagd in de periode, bijvoorbeeld naar sbo of so.",
        "Referrals requested in the period, e.g. to special (primary) education.",
    ),
    "referrals.by_destination": (
        "De aangevraagde verwijzingen naar bestemming.",
        "The referrals requested, by destination.",
    ),
    "admission_statements.submitted": (
        "Aanvragen voor een toelaatbaarheidsverklaring (TLV) die de school in de periode bij het "
        "samenwerkingsverband indiende.",
        "Applications for an admission statement (TLV) the school submitted to the partnership in "
        "the period.",
    ),
    "admission_statements.submitted_without_agreement": (
        "Van de ingediende TLV-aanvragen: ingediend zonder dat de ouders ermee instemden.",
        "Of the TLV applications submitted: submitted without the parents' agreement.",
    ),
    "admission_statements.decided": (
        "Besluiten van het samenwerkingsverband op een TLV-aanvraag, genomen in de periode, ook op "
        "aanvragen van een eerdere periode. Toegekend + afgewezen.",
        "The partnership's decisions on a TLV application made in the period, also on "
        "applications from an earlier period. Granted + refused.",
    ),
    "admission_statements.granted": (
        "Van de TLV-besluiten in de periode: toegekend.",
        "Of the TLV decisions in the period: granted.",
    ),
    "admission_statements.refused": (
        "Van de TLV-besluiten in de periode: afgewezen.",
        "Of the TLV decisions in the period: refused.",
    ),
    "admission_statements.granted_by_school_type": (
        "De toegekende TLV's naar soort onderwijs: speciaal basisonderwijs (sbo) of speciaal "
        "onderwijs (so).",
        "The TLVs granted by type of school: special primary education (sbo) or special "
        "education (so).",
    ),
    "admission_statements.so_by_category": (
        "De toegekende TLV's voor speciaal onderwijs naar bekostigingscategorie: laag, midden of "
        "hoog.",
        "The TLVs granted for special education by funding category: low, medium or high.",
    ),
    "admission_statements.median_days_to_decision": (
        "De middelste tijd in dagen van de aanvraag tot het besluit, over de TLV-besluiten in de "
        "periode. Niet getoond bij minder dan 5 besluiten.",
        "The middle time in days from the application to the decision, over the TLV decisions in "
        "the period. Not shown with fewer than 5 decisions.",
    ),
    "admission_statements.decided_late": (
        "Van de TLV-besluiten in de periode: genomen na de datum waarop het samenwerkingsverband "
        "volgens zijn eigen termijn had moeten beslissen.",
        "Of the TLV decisions in the period: made after the day by which the partnership's own "
        "deadline said to decide.",
    ),
}


def _pairs(table: vocabulary.Labels, capital: bool = False) -> dict[str, tuple[str, str]]:
    """The shared vocabulary as (Dutch, English) pairs, capitalised where a label begins a row."""
    pairs = {}
    for code, labels in table.items():
        words = vocabulary.capitalised(labels) if capital else labels
        pairs[code] = (words["nl"], words["en"])
    return pairs


def _categories() -> dict[str, tuple[str, str]]:
    """A TLV's funding categories with their number: 'Laag (categorie 1)'."""
    return {
        code: (f"{nl} (categorie {number})", f"{en} (category {number})")
        for (code, (nl, en)), number in zip(
            _pairs(vocabulary.SO_CATEGORIES, capital=True).items(),
            vocabulary.SO_CATEGORY_NUMBERS.values(),
            strict=True,
        )
    }


# Sub-keys of the per-domain figures.
DOMAIN_FIGURES: dict[str, tuple[str, str]] = {
    "started": ("gestart", "started"),
    "evaluated": ("geëvalueerd", "evaluated"),
    **_pairs(vocabulary.OUTCOMES),
}

CODES: dict[str, tuple[str, str]] = {
    **_pairs(vocabulary.OUTCOMES, capital=True),
    **_pairs(vocabulary.EVALUATION_DECISIONS, capital=True),
    "referred": ("Verwijzing", "Referral"),
    "case_closed": ("Traject afgesloten", "Case closed"),
    **_pairs(vocabulary.SUPPORT_DOMAINS),
    **_pairs(vocabulary.REFERRAL_DESTINATIONS),
    **_categories(),
}

COLUMNS: dict[str, tuple[str, str]] = {
    "scope": ("School", "School"),
    "start": ("Begin periode", "Period start"),
    "end": ("Einde periode", "Period end"),
    "total": ("Totaal samenwerkingsverband", "Partnership total"),
    "average": (
        "Gemiddelde per school in het samenwerkingsverband",
        "Partnership average per school",
    ),
}


# What the markers of a suppressed count, and of a figure left out, mean (the legend of the JSON
# body and of every download).
MARKERS: dict[str, tuple[str, str]] = {
    "<5": ("een aantal van 1 tot 4 (kleine aantallen)", "a count of 1 to 4 (small numbers)"),
    "x": ("onderdrukt om terugrekenen te voorkomen", "suppressed to prevent back-calculation"),
    # A median or share left out (domain/formats.py HIDDEN, the same in every download).
    "–": (
        "weggelaten: geen gegevens, of het berust op 1 tot 4 gevallen of zou een onderdrukt "
        "aantal prijsgeven",
        "left out: no data, or it rests on 1 to 4 cases or would give a suppressed count away",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[LANGUAGES.index(lang)]


def marker(value: str, lang: str) -> str:
    """What a marker ("<5", "x", "–") means."""
    return _pick(MARKERS[value], lang)


def code(value: str, lang: str) -> str:
    """The label of a code, or the code itself when it is a partnership's own."""
    pair = CODES.get(value)
    return _pick(pair, lang) if pair else value


def figure(path: tuple[str, ...], lang: str) -> str:
    """The label of a figure by its path in the report, e.g. ('interventions', 'started')."""
    head = ".".join(path[:2])
    if len(path) == 2:
        return _pick(FIGURES[head], lang)
    if head == "interventions.by_domain":  # (…, domain, sub-figure)
        return f"{code(path[2], lang)}: {_pick(DOMAIN_FIGURES[path[3]], lang)}"
    return f"{_pick(FIGURES[head], lang)}: {code(path[2], lang)}"


def section(key: str, lang: str) -> str:
    """The heading of one of the report's sections."""
    return _pick(SECTIONS[key], lang)


def column(key: str, lang: str) -> str:
    """The label of one of the table's fixed columns."""
    return _pick(COLUMNS[key], lang)


def labels(lang: str) -> dict[str, dict[str, str]]:
    """Every fixed figure label (by dotted path), what each figure counts, code label and marker,
    for the JSON body."""
    return {
        "figures": {k: _pick(v, lang) for k, v in FIGURES.items()},
        "explanations": {k: _pick(v, lang) for k, v in EXPLANATIONS.items()},
        "codes": {k: _pick(v, lang) for k, v in CODES.items()},
        "sections": {k: _pick(v, lang) for k, v in SECTIONS.items()},
        "markers": {k: _pick(v, lang) for k, v in MARKERS.items()},
    }


EXPLANATION_HEADER: dict[str, tuple[str, str]] = {
    "title": ("Toelichting bij de cijfers", "What the figures mean"),
    "figure": ("Cijfer", "Figure"),
    "meaning": ("Toelichting", "Meaning"),
}


def explanation_header(key: str, lang: str) -> str:
    """The heading ('title') or a column ('figure', 'meaning') of the explanations."""
    return _pick(EXPLANATION_HEADER[key], lang)


def explanations(lang: str) -> list[tuple[str, str]]:
    """Each figure's label and what it counts, in the report's order, then the markers of a
    suppressed count and what they mean."""
    rows = [(_pick(FIGURES[k], lang), _pick(EXPLANATIONS[k], lang)) for k in FIGURES]
    return rows + [(marker, _pick(text, lang)) for marker, text in MARKERS.items()]


TITLES: dict[str, tuple[str, str]] = {
    "school": ("Opbrengstrapportage school {subject}", "Outcome report of school {subject}"),
    "partnership": (
        "Opbrengstrapportage samenwerkingsverband {subject}",
        "Outcome report of partnership {subject}",
    ),
    "period": ("{start} t/m {end}", "{start} to {end}"),
}


def school(scope: dict[str, Any]) -> str:
    """A school in a report by its name once `school.registered` told it, else by its id."""
    return scope.get("school_name") or str(scope["school_id"])


def partnership(report: dict[str, Any]) -> str:
    """The partnership of a report by its name once `partnership.registered` told it, else by
    its id."""
    return report.get("partnership_name") or str(report["partnership_id"])


def day(value: date, lang: str) -> str:
    """A date written out, e.g. '1 januari 2026' or '1 January 2026'."""
    return written(value, lang)


def title(kind: str, subject: str, start: date, end: date, lang: str) -> str:
    """A download's title: whose report ('school' or 'partnership') and over which period."""
    period = _pick(TITLES["period"], lang).format(start=day(start, lang), end=day(end, lang))
    return f"{_pick(TITLES[kind], lang).format(subject=subject)}, {period}"
