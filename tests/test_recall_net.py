"""The recall net: which passages get a question, and that only the passage's own words come back."""

from __future__ import annotations

from dataclasses import replace

from summarizer.analysis.finders import find_candidates
from summarizer.extraction import ActionType
from summarizer.strategies.candidates import _draft, compose, plan
from summarizer.strategies.recall import RecallAnswer, recalled, uncovered_passages

# The first paragraph gives code an action; the second tells an outcome with no word code reads as one.
TEXT = (
    "Gunmen attacked a police post in Kandahar on Friday, officials said.\n"
    "The victims died in hospital later. Residents said the blast shook the market as the patrol "
    "passed by gunmen near the gate."
)


def _answer(what: str, who: str = "", whom: str = "", where: str = "") -> RecallAnswer:
    return RecallAnswer(what=what, who=who, whom=whom, where=where)


def test_only_a_passage_that_tells_an_outcome_and_gave_code_no_action_is_asked_about() -> None:
    found = find_candidates(TEXT)
    passages = uncovered_passages(found)
    assert [p.text.split(".")[0] for p in passages] == ["The victims died in hospital later"]
    kinds = [ask.kind for ask in plan(found, _draft(found), asked={"recall", "summary"})]
    assert kinds == ["recall", "summary"]
    # a prompt that does not declare the question never asks it
    assert [ask.kind for ask in plan(found, _draft(found), asked={"summary"})] == ["summary"]


def test_an_answer_is_kept_only_in_the_passage_s_words_and_only_when_it_names_an_event() -> None:
    found = find_candidates(TEXT)
    passage = uncovered_passages(found)[0]
    told = recalled(found, passage, _answer("the blast", who="gunmen", whom="the patrol", where="the market"))
    assert told is not None
    assert (told.type, told.actors, told.targets, told.location) == (
        ActionType.bombing,
        ("gunmen",),
        ("the patrol",),
        "the market",
    )
    # words the passage does not hold are dropped, field by field; "unknown" is no one
    told = recalled(found, passage, _answer("the blast", who="the Taliban", whom="unknown", where="Kandahar"))
    assert told is not None and (told.actors, told.targets, told.location) == ((), (), None)
    # a "what" that is not the passage's words, or that names no event of the lexicon, is no action
    assert recalled(found, passage, _answer("a suicide attack", who="gunmen")) is None
    assert recalled(found, passage, _answer("residents said", who="residents")) is None


def test_a_recalled_action_is_composed_with_its_rule_and_a_bare_toll_is_left_to_its_figure() -> None:
    found = find_candidates(TEXT)
    passage = uncovered_passages(found)[0]
    draft = _draft(found)
    told = recalled(found, passage, _answer("the blast", who="gunmen", whom="the patrol", where="the market"))
    assert told is not None
    # "died" names no event of the lexicon: no action; a killing no one is named for is the figure's
    assert recalled(found, passage, _answer("died", whom="The victims", where="in hospital")) is None
    toll = replace(told, type=ActionType.attack, actors=(), targets=("The victims",), lemma="kill")
    draft.recalled.extend([told, toll])
    actions = compose(found, draft).actions
    recalls = [a for a in actions if "model.recall" in a.rules]
    assert [(a.type, a.actors, a.targets) for a in recalls] == [(ActionType.bombing, ["gunmen"], ["the patrol"])]
    assert "the blast shook the market" in recalls[0].evidence
