""" "Grounded" must prove the fact: each claim checked against its evidence, with a reason (issue 9).

The model answers are scripted (the steps strategy, so the model's words are exactly these), which
is how an adversary or a confused model would try to pass a wrong fact as grounded.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

from summarizer import Summarizer
from summarizer.llm import LLMClient
from summarizer.schema import (
    ArticleSummary,
    EvidenceReason,
    GroundingStatus,
    QuoteCheck,
    SpeakerCheck,
    SummaryCheck,
)
from summarizer.settings import Settings
from tests.fakes import Script, completion

ARTICLE = (
    "Gunmen attacked a police convoy in Kandahar on Friday, killing 15 officers.\n\n"
    "The town lies 150 km from the capital.\n\n"
    "“We will not let them spread terror,” Governor Ahmad Khan told reporters.\n\n"
    "Police said 3 suspects were arrested, and 1,200 people marched in protest on Saturday."
)

QUOTE = "We will not let them spread terror,"


def casualty(count: str, victims: str, evidence: str, outcome: str = "killed") -> dict[str, Any]:
    return {"victims": victims, "outcome": outcome, "count": count, "evidence": evidence}


def statement(speaker: str, text: str, *, verbatim: bool = True) -> dict[str, Any]:
    return {"speaker": speaker, "text": text, "verbatim": verbatim}


def run(settings: Settings, extraction: dict[str, Any], article: str = ARTICLE) -> ArticleSummary:
    """Summarize ``article`` with v1 (one call), the model answering ``extraction``."""
    body = completion(json.dumps(extraction))
    script = Script([lambda request: httpx2.Response(200, json=body)])
    fake = settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "m"})
    return Summarizer(fake, llm=LLMClient(fake, transport=script)).summarize(
        article, prompt_version="v1", use_cache=False
    )


def extraction(**lists: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "actors": [{"name": "Ahmad Khan", "kind": "person", "evidence": "Governor Ahmad Khan told reporters"}],
        "actions": [],
        "casualties": [],
        "statements": [],
        "summary": "Gunmen killed 15 officers in Kandahar.",
    }
    base.update(lists)
    return base


def test_a_count_must_count_the_victims_in_its_own_evidence(settings: Settings) -> None:
    summary = run(
        settings,
        extraction(
            casualties=[
                casualty("15", "officers", "killing 15 officers"),
                casualty("150", "civilians", "The town lies 150 km from the capital."),
                casualty("200", "people", "1,200 people marched in protest"),
                casualty("3", "civilians", "Police said 3 suspects were arrested"),
            ]
        ),
    )
    by_count = {c.count.text: c for c in summary.casualties}
    assert by_count["15"].count.evidence.status is GroundingStatus.grounded
    assert by_count["15"].evidence.status is GroundingStatus.grounded
    km = by_count["150"]
    assert (km.count.evidence.status, km.count.evidence.reason) == (
        GroundingStatus.ungrounded,
        EvidenceReason.counts_something_else,
    )
    assert km.evidence.reason is EvidenceReason.outcome_not_in_evidence
    inside = by_count["200"].count.evidence
    assert (inside.status, inside.reason) == (GroundingStatus.ungrounded, EvidenceReason.number_inside_number)
    arrests = by_count["3"]
    assert arrests.count.evidence.reason is EvidenceReason.counts_something_else
    assert arrests.evidence.status is GroundingStatus.fuzzy  # "killed" stands nowhere in the arrest sentence


def test_a_verbatim_quote_must_stand_inside_one_quote_with_its_case_and_its_speaker(settings: Settings) -> None:
    summary = run(
        settings,
        extraction(
            statements=[
                statement("Ahmad Khan", QUOTE),
                statement("Gunmen", QUOTE),  # the real quote, given to the wrong speaker
                statement("Ahmad Khan", "spread terror,” Governor Ahmad Khan told reporters"),  # runs past the mark
                statement("Ahmad Khan", QUOTE.upper()),  # in capitals
                statement("Police", "3 suspects were arrested", verbatim=True),  # narration, not a quote
            ]
        ),
    )
    right, wrong_speaker, crossing, capitals, narration = summary.statements
    assert (right.quote_check, right.speaker_check) == (QuoteCheck.verbatim_found, SpeakerCheck.matches)
    assert right.evidence.status is GroundingStatus.grounded
    assert (wrong_speaker.speaker_check, wrong_speaker.attributed_to) == (SpeakerCheck.differs, "Ahmad Khan")
    assert wrong_speaker.evidence.reason is EvidenceReason.speaker_differs
    assert wrong_speaker.evidence.status is not GroundingStatus.grounded
    assert (crossing.quote_check, crossing.evidence.reason) == (
        QuoteCheck.verbatim_not_found,
        EvidenceReason.crosses_quote_mark,
    )
    assert (capitals.quote_check, capitals.evidence.reason) == (
        QuoteCheck.verbatim_not_found,
        EvidenceReason.case_differs,
    )
    assert narration.evidence.reason is EvidenceReason.outside_quote_marks


def test_an_actor_must_be_named_by_its_evidence(settings: Settings) -> None:
    summary = run(
        settings,
        extraction(
            actors=[
                {"name": "Ahmad Khan", "kind": "person", "evidence": "Governor Ahmad Khan told reporters"},
                {"name": "Mullah Omar", "kind": "person", "evidence": "Governor Ahmad Khan told reporters"},
                {"name": "Gunmen", "kind": "armed_group", "evidence": "Police said 3 suspects were arrested"},
            ]
        ),
    )
    khan, invented, elsewhere = summary.actors
    assert (khan.evidence.status, khan.evidence.reason) == (GroundingStatus.grounded, EvidenceReason.exact)
    assert (invented.evidence.status, invented.evidence.reason) == (
        GroundingStatus.ungrounded,
        EvidenceReason.name_not_in_article,
    )
    assert (elsewhere.evidence.status, elsewhere.evidence.reason) == (
        GroundingStatus.fuzzy,
        EvidenceReason.name_not_in_evidence,
    )


def test_exact_duplicates_are_merged_and_every_status_has_a_reason(settings: Settings) -> None:
    twice = casualty("15", "officers", "killing 15 officers")
    summary = run(settings, extraction(casualties=[twice, twice], statements=[statement("Ahmad Khan", QUOTE)] * 2))
    assert len(summary.casualties) == 1 and len(summary.statements) == 1
    data = summary.model_dump(mode="json")
    for key in ("actors", "casualties", "statements"):
        for fact in data[key]:
            assert fact["evidence"]["reason"]


def convoy_attack(**changes: Any) -> dict[str, Any]:
    """The article's attack and its toll as the model's facts, with ``changes`` to the action."""
    attack = {
        "actors": ["Gunmen"],
        "type": "attack",
        "targets": ["police convoy"],
        "location": "Kandahar",
        "evidence": "Gunmen attacked a police convoy in Kandahar on Friday",
        **changes,
    }
    return {"casualties": [casualty("15", "officers", "killing 15 officers")], "actions": [attack]}


def test_the_summary_sentence_keeps_only_what_grounded_facts_hold(settings: Settings) -> None:
    facts = convoy_attack()
    ok = run(settings, extraction(**facts, summary="Gunmen killed 15 officers in Kandahar."))
    assert (ok.summary, ok.summary_check) == ("Gunmen killed 15 officers in Kandahar.", SummaryCheck.ok)
    cut = run(settings, extraction(**facts, summary="Gunmen killed 15 officers. The Pentagon says 900 died."))
    assert (cut.summary, cut.summary_check) == ("Gunmen killed 15 officers.", SummaryCheck.cut)
    replaced = run(settings, extraction(**facts, summary="Omar's army killed 900 people."))
    assert replaced.summary_check is SummaryCheck.replaced
    assert "900" not in replaced.summary and "15 officers killed" in replaced.summary
    # no number, no name: the casualty itself must be a figure's ("the governor killed" is invented)
    invented = run(settings, extraction(**facts, summary="Gunmen attacked a convoy, officers killed, governor killed."))
    assert invented.summary_check is SummaryCheck.replaced
    kept = run(settings, extraction(**facts, summary="Gunmen attacked a police convoy, killing officers."))
    assert kept.summary_check is SummaryCheck.ok
    # a number the article holds, but no count of that outcome ("150 km" is no toll)
    misread = run(settings, extraction(**facts, summary="Gunmen attacked a police convoy, killing 150 officers."))
    assert misread.summary_check is SummaryCheck.replaced


def test_a_rebuilt_summary_never_reads_as_if_a_name_were_lost(settings: Settings) -> None:
    """An action whose doer the article leaves unnamed is told as a noun phrase, not a clause without
    its subject (" attacked a police convoy"), and what did not come off says so."""
    replaced = run(settings, extraction(**convoy_attack(actors=[]), summary="Omar's army killed 900 people."))
    assert replaced.summary_check is SummaryCheck.replaced
    assert replaced.summary.startswith("Attack on police convoy in Kandahar; 15 officers killed")
    # a place that holds the target adds nothing: not "Attack on police convoy in police convoy near Kandahar"
    facts = convoy_attack(actors=[], location="police convoy near Kandahar")
    again = run(settings, extraction(**facts, summary="Omar's army killed 900 people."))
    assert again.summary.startswith("Attack on police convoy; 15 officers killed")
    tried = run(settings, extraction(**convoy_attack(modality="attempted"), summary="Omar's army killed 900 people."))
    assert tried.summary.startswith("Gunmen attacked police convoy (attempted) in Kandahar")


def test_a_summary_cut_off_mid_sentence_loses_the_unfinished_sentence(settings: Settings) -> None:
    facts = convoy_attack()
    cut = run(settings, extraction(**facts, summary="Gunmen killed 15 officers. The governor would soon"))
    assert (cut.summary, cut.summary_check) == ("Gunmen killed 15 officers.", SummaryCheck.cut)
    # one sentence without its stop is the model's whole answer, not a cut-off one
    whole = run(settings, extraction(**facts, summary="Gunmen killed 15 officers in Kandahar"))
    assert (whole.summary, whole.summary_check) == ("Gunmen killed 15 officers in Kandahar", SummaryCheck.ok)


def test_a_long_summary_is_cut_at_a_sentence_end_not_inside_an_abbreviation() -> None:
    from summarizer.summary_text import first_sentences

    long = "Gunmen attacked a convoy. The U.S. base was hit on Friday night."
    assert first_sentences(long, 40) == "Gunmen attacked a convoy."  # not "... The U.S."
