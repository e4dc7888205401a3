"""Every matching rule of the gold format (FORMAT.md), on hand-made summaries."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer.evaluation.gold import GoldActor, GoldCasualty, GoldError, GoldEvent, GoldStatement, load_gold
from summarizer.evaluation.matching import names_match, normalize_words, number_accepted, text_contains
from summarizer.evaluation.scoring import (
    FactKind,
    Ratio,
    Scores,
    attribution_precision,
    casualty_numbers_found,
    casualty_precision,
    evidence_in_article,
    grounded_not_in_article,
    match_actor,
    match_casualty,
    match_event,
    match_statement,
    precision_misses,
    score_article,
    verbatim_quotes_found,
)
from summarizer.extraction import Modality
from summarizer.schema import Evidence, EvidenceReason, GroundingStatus, QuoteCheck
from tests.eval_helpers import action, actor, casualty, evidence, gold, statement, summary

TESTS = Path(__file__).parent
GOLD_DIR = TESTS / "data" / "gold"

# --- names: normalisation and whole-word containment ---------------------------------------------


def test_normalisation_ignores_case_punctuation_and_quote_style() -> None:
    assert normalize_words("U.S.") == normalize_words("us") == ("us",)
    assert normalize_words("Kata’ib Hezbollah") == normalize_words("KATA'IB hezbollah") == ("kataib", "hezbollah")
    assert normalize_words("“outside the law” group") == normalize_words('"outside the law" group')
    assert normalize_words("Mark T. Esper") == normalize_words("Mark T Esper")
    assert normalize_words("Iran-backed  militias\n") == ("iran", "backed", "militias")  # a dash separates words
    assert normalize_words("Iraq—Syria") == ("iraq", "syria")
    assert normalize_words("...") == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pompeo", "Mike Pompeo"),  # the shorter name inside the longer, either way round
        ("Secretary of State Mike Pompeo", "Mike Pompeo"),
        ("U.S.", "US"),  # punctuation ignored
        ("US", "U.S. military"),
        ("Kata’ib Hezbollah", "Kata'ib Hezbollah"),  # curly vs straight apostrophe
        ("kata'ib HEZBOLLAH", "Kata'ib Hezbollah"),  # case
        ("al-Halbousi", "Iraqi Speaker al-Halbousi"),
        ("Iran-backed militias", "Iran backed militias"),
    ],
)
def test_names_match(a: str, b: str) -> None:
    assert names_match(a, b) and names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("US", "Russia"),  # never inside a word
        ("US", "USA"),
        ("Iran", "Iranian"),
        ("IS", "ISIS"),
        ("Hezbollah Brigades", "Kata'ib Hezbollah"),  # overlapping words are not containment
        ("Mike Pompeo", "Pompeo Mike"),  # word order counts
        ("", "US"),
        ("...", "US"),
    ],
)
def test_names_do_not_match(a: str, b: str) -> None:
    assert not names_match(a, b) and not names_match(b, a)


# --- actors -----------------------------------------------------------------------------------------


def test_actor_matches_gold_name_against_extracted_name() -> None:
    result = match_actor(GoldActor(name="Mike Pompeo"), [actor("Jonathan Hoffman"), actor("Mike Pompeo")])
    assert result.matched and result.by == "Mike Pompeo" and result.kind is FactKind.actor


def test_actor_matches_gold_alias() -> None:
    gold_actor = GoldActor(name="Popular Mobilization Forces", aliases=["PMF", "Hashd al-Shaabi"])
    assert match_actor(gold_actor, [actor("Hashd al-Shaabi")]).matched


def test_actor_matches_extracted_alias() -> None:
    gold_actor = GoldActor(name="Kata'ib Hezbollah")
    assert match_actor(gold_actor, [actor("KH", "Kata’ib Hezbollah")]).matched


def test_actor_matches_by_whole_word_containment() -> None:
    assert match_actor(GoldActor(name="Mike Pompeo"), [actor("Pompeo")]).matched
    assert match_actor(GoldActor(name="Pompeo"), [actor("US Secretary of State Mike Pompeo")]).matched


def test_actor_does_not_match_inside_a_word() -> None:
    result = match_actor(GoldActor(name="Russia", aliases=["Russian military"]), [actor("US", "USA")])
    assert not result.matched and result.by is None


# --- events -----------------------------------------------------------------------------------------

STRIKES = GoldEvent(
    what="US strikes on KH",
    actor=["United States", "U.S.", "Pentagon"],
    target=["Kata'ib Hezbollah", "KH"],
    location=["Iraq", "Syria"],
)


def test_event_needs_actor_and_target_of_one_action() -> None:
    result = match_event(STRIKES, [action(["US forces"], ["Kata’ib Hezbollah"], location="western Iraq")])
    assert result.matched
    assert result.note == "location matched"


def test_event_with_actor_only_does_not_match() -> None:
    result = match_event(STRIKES, [action(["Pentagon"], ["Iraqi base"])])
    assert not result.matched
    assert result.note is not None and "actor matched alone in 1" in result.note


def test_event_with_target_only_does_not_match() -> None:
    result = match_event(STRIKES, [action(["Iran"], ["KH"])])
    assert not result.matched
    assert result.note is not None and "target alone in 1" in result.note


def test_event_actor_and_target_in_different_actions_do_not_match() -> None:
    assert not match_event(STRIKES, [action(["U.S."], []), action(["Iran"], ["KH"])]).matched


def test_event_location_is_informative_only() -> None:
    result = match_event(STRIKES, [action(["U.S."], ["KH"], location="Lebanon")])
    assert result.matched
    assert result.note == "location not matched (Lebanon)"
    assert match_event(STRIKES, [action(["U.S."], ["KH"])]).note == "location not matched (none given)"


# --- casualties -------------------------------------------------------------------------------------

MILITIAMEN = GoldCasualty(what="militiamen hit", victims=["militiamen", "PMF"], killed=25, injured=51)


def test_casualty_matches_every_number_for_matching_victims() -> None:
    result = match_casualty(
        MILITIAMEN, [casualty("PMF militiamen", "killed", 25), casualty("militiamen", "injured", 51)]
    )
    assert result.matched and result.note is None
    assert result.by is not None and "'25'" in result.by and "'51'" in result.by


def test_casualty_needs_every_number_it_gives() -> None:
    result = match_casualty(MILITIAMEN, [casualty("militiamen", "killed", 25)])
    assert not result.matched
    assert result.note is not None and "injured 51" in result.note


def test_casualty_outcome_must_match() -> None:
    fact = GoldCasualty(what="contractor", victims=["contractor"], killed=1)
    assert not match_casualty(fact, [casualty("U.S. contractor", "injured", 1)]).matched


def test_casualty_wrong_number_does_not_match() -> None:
    fact = GoldCasualty(what="contractor", victims=["contractor"], killed=1)
    assert not match_casualty(fact, [casualty("U.S. contractor", "killed", 2)]).matched


def test_casualty_number_list_accepts_any_listed_integer() -> None:
    fact = GoldCasualty(what="vague", victims=["people"], injured=[100, 101])
    assert match_casualty(fact, [casualty("people", "injured", 101, None, text="more than 100")]).matched
    assert match_casualty(fact, [casualty("people", "injured", 100)]).matched
    assert not match_casualty(fact, [casualty("people", "injured", 102)]).matched


def test_casualty_matched_via_any_record_when_victims_are_unmatched() -> None:
    result = match_casualty(MILITIAMEN, [casualty("people", "killed", 25), casualty("those hurt", "injured", 51)])
    assert result.matched
    assert result.note is not None and "victims not matched" in result.note


def test_casualty_fallback_is_per_outcome() -> None:
    # The killed figure names the militiamen; the injured one names nobody the gold knows.
    found = [casualty("militiamen", "killed", 25), casualty("people", "injured", 51)]
    assert match_casualty(MILITIAMEN, found).matched


def test_casualty_no_fallback_when_victims_match_with_another_number() -> None:
    fact = GoldCasualty(what="militants", victims=["militants"], killed=7)
    found = [casualty("militants", "killed", 3), casualty("people", "killed", 7)]
    result = match_casualty(fact, found)
    assert not result.matched
    assert result.note is not None and "matching victims" in result.note


def test_casualty_unmatched_victims_and_no_figure_do_not_match() -> None:
    fact = GoldCasualty(what="contractor", victims=["contractor"], killed=1)
    assert not match_casualty(fact, []).matched
    assert not match_casualty(fact, [casualty("soldiers", "killed", 3)]).matched


def test_single_named_victim_counts_as_one() -> None:
    fact = GoldCasualty(what="the death of a U.S. contractor", victims=["U.S. contractor"], killed=1)
    assert match_casualty(fact, [casualty("US contractor", "killed", 1, 1, text="a")]).matched


def test_casualty_open_and_vague_figures() -> None:
    fact = GoldCasualty(what="at least 25", victims=["people"], killed=25)
    assert match_casualty(fact, [casualty("people", "killed", 25, None, text="at least 25")]).matched
    assert not match_casualty(fact, [casualty("people", "killed", None, None, text="dozens")]).matched


def test_number_accepted_compares_every_bound_the_figure_gives() -> None:
    assert number_accepted(25, 25, 25)
    assert number_accepted([50, 51], 51, None)  # "more than 50"
    assert number_accepted(10, None, 10)  # "up to 10"
    assert number_accepted([20, 30], 20, 30)  # "20 to 30"
    assert not number_accepted(20, 20, 30)  # the gold does not accept 30
    assert not number_accepted(25, None, None)  # "dozens" gives no number
    assert not number_accepted([24, 25], 26, 26)


# --- statements -------------------------------------------------------------------------------------

ORTAGUS = GoldStatement(speaker=["Morgan Ortagus", "Ortagus"], quote_contains="aimed at deterring Iraq")


def test_statement_matches_speaker_and_contained_quote() -> None:
    said = statement(
        "State Department spokesperson Morgan Ortagus", "The actions were aimed at deterring Iraq, she said"
    )
    result = match_statement(ORTAGUS, [said])
    assert result.matched and result.by == "State Department spokesperson Morgan Ortagus"


def test_statement_quote_is_compared_after_normalisation() -> None:
    fact = GoldStatement(speaker=["Mike Pompeo"], quote_contains="Iran’s malign regional influence")
    said = statement("Pompeo", 'He condemned IRAN\'S malign\nregional "influence".')
    assert match_statement(fact, [said]).matched


def test_statement_speaker_mismatch_does_not_match() -> None:
    result = match_statement(ORTAGUS, [statement("Jonathan Hoffman", "aimed at deterring Iraq")])
    assert not result.matched
    assert result.note == "quote found but said by Jonathan Hoffman"


def test_statement_quote_must_be_contained() -> None:
    result = match_statement(ORTAGUS, [statement("Ortagus", "aimed at deterring Iran")])
    assert not result.matched
    assert result.note == "speaker matched, quote not found"


def test_statement_quote_is_matched_as_whole_words() -> None:
    assert text_contains("a clear example of terrorism", "example of terror") is False
    assert text_contains("there will be consequences.", "consequences")


def test_statement_punctuation_is_ignored_either_way() -> None:
    assert text_contains("the tragic death of a US citizen", "death of a U.S. citizen")  # dropped
    # a sentence glued to the next one ("forces”.Also") still ends in the word "forces"
    assert text_contains("their “resistance to the American occupation forces”.Also", "occupation forces")


# --- casualty precision --------------------------------------------------------------------------------

KILLED_25 = GoldCasualty(what="militiamen killed", victims=["militiamen"], killed=25, injured=51)
CONTRACTOR = GoldCasualty(what="contractor", victims=["contractor"], killed=1)


def test_casualty_precision_counts_figures_equal_to_a_gold_figure() -> None:
    found = [casualty("militiamen", "killed", 25), casualty("militiamen", "killed", 30)]
    assert casualty_precision([KILLED_25], found) == Ratio.of(1, 2)


def test_casualty_precision_accepts_any_gold_fact_of_the_outcome_whatever_the_victims() -> None:
    found = [casualty("people", "killed", 1), casualty("soldiers", "injured", 51)]
    assert casualty_precision([KILLED_25, CONTRACTOR], found) == Ratio.of(2, 2)


def test_casualty_precision_needs_the_same_outcome() -> None:
    # 25 is a gold figure, but of the killed; 1 is only a killed figure too
    found = [casualty("militiamen", "injured", 25), casualty("contractor", "injured", 1)]
    assert casualty_precision([KILLED_25, CONTRACTOR], found) == Ratio.of(0, 2)


def test_casualty_precision_leaves_out_figures_without_a_number_or_outside_the_gold_outcomes() -> None:
    found = [
        casualty("people", "killed", None, None, text="dozens"),
        casualty("people", "arrested", 25),
        casualty("people", "missing", 3),
    ]
    assert casualty_precision([KILLED_25], found) == Ratio(hits=0, total=0, share=None)


def test_casualty_precision_open_ended_and_range_figures_against_gold_lists() -> None:
    more_than_50 = casualty("people", "injured", 51, None, text="more than 50")
    assert casualty_precision([GoldCasualty(what="x", victims=["people"], injured=[50, 51])], [more_than_50]).hits == 1
    assert casualty_precision([GoldCasualty(what="x", victims=["people"], injured=50)], [more_than_50]).hits == 0
    twenty_to_thirty = casualty("people", "killed", 20, 30, text="20 to 30")
    assert casualty_precision([GoldCasualty(what="x", victims=["p"], killed=20)], [twenty_to_thirty]) == Ratio.of(0, 1)
    assert casualty_precision([GoldCasualty(what="x", victims=["p"], killed=[20, 30])], [twenty_to_thirty]).hits == 1
    up_to_10 = casualty("people", "killed", None, 10, text="up to 10")
    assert casualty_precision([GoldCasualty(what="x", victims=["p"], killed=10)], [up_to_10]) == Ratio.of(1, 1)


def test_casualty_precision_without_gold_casualties_counts_every_figure_wrong() -> None:
    found = [casualty("militants", "killed", 3), casualty("police", "injured", 2)]
    assert casualty_precision([], found) == Ratio.of(0, 2)
    assert casualty_precision([], []).share is None


# --- statement attribution precision -----------------------------------------------------------------

HOFFMAN = GoldStatement(speaker=["Jonathan Hoffman", "Hoffman"], quote_contains="decisive defensive strikes")


def test_attribution_precision_counts_statements_quoting_the_gold_with_the_right_speaker() -> None:
    said = [
        statement("State Department spokesperson Morgan Ortagus", "The actions were “aimed at deterring Iraq”"),
        statement("Hoffman", "The U.S. conducted decisive defensive strikes."),
    ]
    assert attribution_precision([ORTAGUS, HOFFMAN], said) == Ratio.of(2, 2)


def test_attribution_precision_wrong_speaker_is_wrong() -> None:
    said = [statement("Mike Pompeo", "aimed at deterring Iraq"), statement("Ortagus", "aimed at deterring Iraq")]
    assert attribution_precision([ORTAGUS], said) == Ratio.of(1, 2)


def test_attribution_precision_leaves_out_statements_quoting_nothing_in_the_gold() -> None:
    said = [statement("Ortagus", "We will respond."), statement("Nobody", "aimed at deterring Iran")]
    assert attribution_precision([ORTAGUS, HOFFMAN], said) == Ratio(hits=0, total=0, share=None)
    assert attribution_precision([], [statement("Ortagus", "aimed at deterring Iraq")]).share is None


def test_attribution_precision_a_statement_quoting_two_gold_statements_needs_both_speakers() -> None:
    merged = statement("Ortagus", "aimed at deterring Iraq; decisive defensive strikes")
    assert attribution_precision([ORTAGUS, HOFFMAN], [merged]) == Ratio.of(0, 1)
    same_speaker = GoldStatement(speaker=["Morgan Ortagus"], quote_contains="we will respond")
    both_hers = statement("Morgan Ortagus", "aimed at deterring Iraq, and we will respond")
    assert attribution_precision([ORTAGUS, same_speaker], [both_hers]) == Ratio.of(1, 1)


def test_precision_misses_name_the_wrong_items() -> None:
    fact_list = gold(
        casualties=[{"what": "killed", "victims": ["militiamen"], "killed": 25}],
        statements=[{"speaker": ["Ortagus"], "quote_contains": "aimed at deterring Iraq"}],
    )
    made = summary(
        casualties=[casualty("militiamen", "killed", 25), casualty("rockets", "killed", 30)],
        statements=[statement("Pompeo", "aimed at deterring Iraq"), statement("Pompeo", "unrelated")],
    )
    misses = precision_misses(fact_list, made)
    assert len(misses) == 2
    assert misses[0].startswith("casualty rockets killed '30' (30..30): no gold killed figure")
    assert misses[1] == "statement by 'Pompeo' quotes gold said by Ortagus"


# --- grounding figures ------------------------------------------------------------------------------


def test_verbatim_quote_share_counts_only_claimed_quotes() -> None:
    statements = [
        statement("A", "one", QuoteCheck.verbatim_found),
        statement("B", "two", QuoteCheck.verbatim_not_found),
        statement("C", "three", QuoteCheck.paraphrase),
    ]
    assert verbatim_quotes_found(statements) == Ratio.of(1, 2)
    assert verbatim_quotes_found([statement("C", "three")]).share is None


def test_casualty_number_share_counts_numbers_found_in_the_text() -> None:
    text = "1 killed, 3 injured"
    figures = [casualty("a", "killed", 1, article=text), casualty("b", "killed", 2, article=text)]
    figures.append(casualty("c", "injured", 3, article=text))
    assert casualty_numbers_found(figures) == Ratio.of(2, 3)
    fuzzy = figures[1].model_copy(deep=True)
    fuzzy.count.evidence.status = GroundingStatus.fuzzy
    assert casualty_numbers_found([fuzzy]) == Ratio.of(1, 1)


ARTICLE = "Officials said: “We will respond.”\nThe   strike killed 25 militiamen."


def test_grounded_evidence_is_rechecked_against_the_article() -> None:
    assert evidence_in_article(evidence("killed 25 militiamen", article=ARTICLE), ARTICLE)
    # whitespace, quote style and case differ from the article's text at the offsets: still consistent
    start = ARTICLE.index("“We")
    loose = Evidence(
        text='"we will  respond."',
        status=GroundingStatus.grounded,
        start=start,
        end=start + 18,
        score=1,
        reason=EvidenceReason.exact,
    )
    assert evidence_in_article(loose, ARTICLE)
    wrong = Evidence(
        text="killed 25 militiamen",
        status=GroundingStatus.grounded,
        start=0,
        end=20,
        score=1,
        reason=EvidenceReason.exact,
    )
    assert not evidence_in_article(wrong, ARTICLE)
    outside = Evidence(
        text="x",
        status=GroundingStatus.grounded,
        start=len(ARTICLE),
        end=len(ARTICLE) + 1,
        score=1,
        reason=EvidenceReason.exact,
    )
    assert not evidence_in_article(outside, ARTICLE)


def test_grounded_not_in_article_counts_only_grounded_evidence() -> None:
    good = statement("A", "The   strike killed", article=ARTICLE)
    no_offsets = Evidence(text="never said", status=GroundingStatus.grounded, score=1, reason=EvidenceReason.exact)
    bad = statement("B", "never said").model_copy(update={"evidence": no_offsets})
    fuzzy = Evidence(
        text="also never said",
        status=GroundingStatus.fuzzy,
        start=0,
        end=5,
        score=0.9,
        reason=EvidenceReason.near_match,
    )
    unsure = statement("C", "also never said").model_copy(update={"evidence": fuzzy})
    ungrounded = statement("D", "not there", article=ARTICLE)
    result = summary(statements=[good, bad, unsure, ungrounded], article_text=ARTICLE)
    assert [e.text for e in grounded_not_in_article(result, ARTICLE)] == ["never said"]


# --- one article --------------------------------------------------------------------------------------

GOLD = gold(
    actors=[{"name": "Mike Pompeo", "aliases": ["Pompeo"]}, {"name": "Russia"}],
    events=[{"what": "strikes", "actor": ["US"], "target": ["KH"]}],
    casualties=[{"what": "contractor", "victims": ["contractor"], "killed": 1}],
    statements=[{"speaker": ["Pompeo"], "quote_contains": "shared priority"}],
)


def test_score_article_gives_recall_per_kind_and_pooled() -> None:
    made = summary(
        actors=[actor("Pompeo")],
        actions=[action(["U.S."], ["KH"])],
        casualties=[casualty("contractor", "killed", 1)],  # its "1" is in no article: not found
        statements=[statement("Mike Pompeo", "Security remains a shared priority", QuoteCheck.verbatim_found)],
    )
    scored = score_article(GOLD, made)
    assert scored.scores.actors == Ratio.of(1, 2)
    assert scored.scores.events == scored.scores.casualties == scored.scores.statements == Ratio.of(1, 1)
    assert scored.scores.overall == Ratio.of(4, 5)
    assert scored.scores.verbatim_quotes_found == Ratio.of(1, 1)
    assert scored.scores.casualty_numbers_found == Ratio.of(0, 1)
    assert scored.scores.grounded_not_in_article is None  # no article text given: not checked
    assert [m.matched for m in scored.matches] == [True, False, True, True, True]
    assert scored.scores.casualty_precision == scored.scores.attribution_precision == Ratio.of(1, 1)
    assert scored.precision_misses == []


def test_score_article_precision_counts_noise_that_recall_ignores() -> None:
    noisy = summary(
        casualties=[casualty("contractor", "killed", 1), casualty("contractor", "killed", 2)],
        statements=[statement("Pompeo", "a shared priority"), statement("Russia", "a shared priority")],
    )
    scored = score_article(GOLD, noisy)
    assert scored.scores.casualties == scored.scores.statements == Ratio.of(1, 1)  # recall: all found
    assert scored.scores.casualty_precision == scored.scores.attribution_precision == Ratio.of(1, 2)
    assert len(scored.precision_misses) == 2


def test_score_without_summary_misses_every_fact() -> None:
    scored = score_article(GOLD, None)
    assert scored.scores.overall == Ratio.of(0, 5)
    assert all(not m.matched and m.note == "no summary" for m in scored.matches)
    assert scored.scores.casualty_precision == Ratio.of(0, 0)  # nothing extracted: nothing to be wrong


def test_scores_add_up_and_empty_kinds_have_no_share() -> None:
    empty = score_article(gold(), summary()).scores
    assert empty.casualties == Ratio(hits=0, total=0, share=None)
    total = score_article(GOLD, None).scores + score_article(GOLD, summary(), "").scores
    assert total.overall == Ratio.of(0, 10)
    assert total.grounded_not_in_article == 0  # one article checked, one not


def test_precision_pools_across_articles_and_skips_unmeasured_scores() -> None:
    one = score_article(GOLD, summary(casualties=[casualty("contractor", "killed", 1)])).scores
    two = score_article(GOLD, summary(casualties=[casualty("x", "killed", 7), casualty("y", "injured", 1)])).scores
    assert (one + two).casualty_precision == Ratio.of(1, 3)
    old = Scores.model_validate(one.model_dump(exclude={"casualty_precision", "attribution_precision"}))
    assert old.casualty_precision is None and old.attribution_precision is None  # a format "1" report's scores
    assert (old + two).casualty_precision == Ratio.of(0, 2)
    assert (old + old).casualty_precision is None


# --- gold files ---------------------------------------------------------------------------------------


def test_gold_casualty_needs_a_number_and_numbers_are_integers() -> None:
    with pytest.raises(ValidationError, match="needs 'killed' or 'injured'"):
        GoldCasualty(what="x", victims=["people"])
    with pytest.raises(ValidationError):
        GoldCasualty.model_validate({"what": "x", "victims": ["people"], "killed": "25"})
    with pytest.raises(ValidationError):
        GoldCasualty.model_validate({"what": "x", "victims": ["people"], "killed": 25, "wounded": 3})


def test_gold_loader_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"article": "a.txt", "events": [{"what": "x", "actor": ["US"]}]}', encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.json: not a gold fact list: events\.0\.target: Field required"):
        load_gold(bad)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.json: is not valid JSON \(line 1"):
        load_gold(bad)


@pytest.mark.parametrize("path", sorted(GOLD_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_seed_gold_quotes_stand_in_their_articles(path: Path) -> None:
    """The normalisation agrees with the gold: every quote_contains is found in its own article."""
    fact_list = load_gold(path)
    article = (TESTS / "data" / "seeds" / fact_list.article).read_text(encoding="utf-8")
    for fact in fact_list.statements:
        assert text_contains(article, fact.quote_contains), fact.quote_contains


# --- the extended gold's checks (eval/unseen) -------------------------------------------------------


def test_extended_gold_reads_instrument_modality_time_frame_dateline_and_not_actors() -> None:
    data = {
        "article": "a.txt",
        "events": [
            {
                "what": "bombing",
                "actor": ["rebels"],
                "target": ["market"],
                "instrument": ["car bomb"],
                "modality": "alleged",
                "time_frame": "background",
                "date": "2015-04-02",
            }
        ],
        "published_at": "2025-04-02",
        "dateline": {"place": "Kabul", "date": "2025-04-02"},
        "not_actors": ["Jane Doe"],
    }
    parsed = gold(**{k: v for k, v in data.items() if k != "article"})
    assert parsed.events[0].instrument == ["car bomb"] and parsed.dateline is not None
    with pytest.raises(ValidationError):
        GoldEvent(what="x", actor=["a"], target=["b"], modality="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        GoldEvent(what="x", actor=["a"], target=["b"], date="April 2")


def test_checks_count_instrument_modality_and_time_frame_of_the_matched_event() -> None:
    fact = GoldEvent(
        what="bombing",
        actor=["rebels"],
        target=["market"],
        instrument=["car bomb"],
        modality="alleged",
        time_frame="current",
    )
    bombing = action(["rebels"], ["the market"]).model_copy(
        update={"instrument": "a car bomb", "modality": Modality.claimed}
    )
    scores = score_article(gold(events=[fact.model_dump()]), summary(actions=[bombing])).scores
    assert scores.instruments == Ratio.of(1, 1)
    assert scores.modality == Ratio.of(1, 1)
    assert scores.time_frame == Ratio.of(1, 1)  # nothing said reads as the day's event
    unarmed = action(["rebels"], ["the market"])
    scores = score_article(gold(events=[fact.model_dump()]), summary(actions=[unarmed])).scores
    assert scores.instruments == Ratio.of(0, 1) and scores.modality == Ratio.of(0, 1)
    # an action that names only the target still carries the event's instrument
    no_actor = action([], ["market"]).model_copy(update={"instrument": "car bomb"})
    assert score_article(gold(events=[fact.model_dump()]), summary(actions=[no_actor])).scores.instruments == Ratio.of(
        1, 1
    )


def test_checks_are_none_where_the_gold_gives_none() -> None:
    scores = score_article(gold(events=[STRIKES.model_dump()]), summary()).scores
    assert scores.instruments is None and scores.modality is None and scores.dateline is None
    assert scores.not_furniture is None


def test_furniture_as_actor_or_speaker_is_counted_and_listed() -> None:
    fact_file = gold(not_actors=["KABUL", "Jane Doe"])
    made = summary(actors=[actor("Kabul"), actor("Taliban")], statements=[statement("Jane Doe", "it was a bomb")])
    result = score_article(fact_file, made)
    assert result.scores.not_furniture == Ratio.of(1, 3)
    assert sum("page furniture" in miss for miss in result.precision_misses) == 2


def test_an_action_with_no_doer_named_matches_on_its_weapon() -> None:
    fact = GoldEvent(what="IED attack", actor=["roadside IED", "unknown"], target=["convoy"])
    unnamed = action([], ["convoy"]).model_copy(update={"instrument": "roadside IED"})
    assert match_event(fact, [unnamed]).matched
    named = action(["militants"], ["convoy"]).model_copy(update={"instrument": "roadside IED"})
    assert not match_event(fact, [named]).matched  # a named doer is the doer, whatever it used
