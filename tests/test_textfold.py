"""One folding rule (``summarizer.textfold``) for the grounder, the gold matcher and the scorer."""

from __future__ import annotations

import pytest

from summarizer.evaluation.matching import names_match, normalize_words, text_contains
from summarizer.evaluation.scoring import evidence_in_article
from summarizer.grounding import Grounder, canonical
from summarizer.normalize import normalize
from summarizer.schema import GroundingStatus
from summarizer.textfold import FOLDED_CHARACTERS, fold, fold_characters

# Every character the table folds, and characters it leaves alone on purpose (or that case-folding
# and whitespace handle): each of the three users must treat all of them the same way.
NOT_IN_TABLE = [
    "\u2039",  # ‹ single guillemet: not folded
    "\u203a",  # ›
    "\u2032",  # ′ prime
    "\u2033",  # ″ double prime
    "\u2212",  # − minus sign
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space (not whitespace for Python)
    "\u2009",  # thin space (whitespace)
    "\u202f",  # narrow no-break space (whitespace)
    "\t",
    "\n",
    "ß",  # case-folds to two characters
    "İ",  # likewise
    "ﬁ",  # ligature: "fi"
    "Σ",
    "'",
    '"',
    "-",
]
TRICKY = [*FOLDED_CHARACTERS, *NOT_IN_TABLE]


def test_every_entry_replaces_one_character_by_one() -> None:
    """The grounder's index map depends on it: folding characters never moves an offset."""
    assert all(len(old) == 1 and len(new) == 1 for old, new in FOLDED_CHARACTERS.items())
    text = "“Iran‒backed” — ‘militias’\u00a0fired `rockets` «at» the base ―"
    folded = fold_characters(text)
    assert len(folded) == len(text)
    assert folded == "\"Iran-backed\" - 'militias' fired 'rockets' \"at\" the base -"


def test_the_table_holds_every_quote_and_dash_any_copy_folded_before() -> None:
    # the union of the grounder's, the matcher's and the scorer's former tables
    assert set(FOLDED_CHARACTERS) == set("“”„«»‘’‚`‐‑‒–—―\u00a0")
    assert {FOLDED_CHARACTERS[c] for c in "“”„«»"} == {'"'}
    assert {FOLDED_CHARACTERS[c] for c in "‘’‚`"} == {"'"}
    assert {FOLDED_CHARACTERS[c] for c in "‐‑‒–—―"} == {"-"}


def test_fold_is_the_whole_rule() -> None:
    assert fold("  The  “Strike”\u00a0KILLED\n\t25 — STRASSE  ") == 'the "strike" killed 25 - strasse'
    assert fold("") == fold(" \n ") == ""


@pytest.mark.parametrize("ch", TRICKY, ids=lambda c: f"U+{ord(c):04X}")
def test_grounder_matcher_and_scorer_fold_alike(ch: str) -> None:
    text = f"  Iran{ch}backed “militias” {ch}said{ch} ‘{ch}’ X "
    folded = fold(text)
    assert fold(folded) == folded  # idempotent
    assert canonical(text)[0] == folded  # the grounder
    assert normalize_words(text) == normalize_words(folded)  # the matcher: folding first changes nothing
    assert text_contains(text, folded) and names_match(text, folded)
    evidence = Grounder(text, normalize(text)).locate(folded.strip(), fuzzy=False)
    assert evidence.status is GroundingStatus.grounded, ch
    assert evidence_in_article(evidence, text)  # the scorer's re-check accepts what the grounder found


@pytest.mark.parametrize("dash", ["\u2010", "\u2012", "\u2015"], ids=["hyphen", "figure-dash", "horizontal-bar"])
def test_dashes_the_grounder_used_to_miss_are_folded_by_both(dash: str) -> None:
    """Before one table, the scorer folded ‐ ‒ ― and the grounder did not: 'Iran-backed' was ungrounded."""
    article = f"Rockets were fired by Iran{dash}backed militias."
    evidence = Grounder(article, normalize(article)).locate_words("Iran-backed")
    assert evidence.status is GroundingStatus.grounded
    assert evidence.start is not None and article[evidence.start : evidence.end] == f"Iran{dash}backed"
    assert evidence_in_article(evidence, article)
    assert normalize_words(f"Iran{dash}backed") == ("iran", "backed")


@pytest.mark.parametrize("ch", ["\u2039", "\u2212"], ids=["single-guillemet", "minus"])
def test_characters_outside_the_table_are_not_folded_anywhere(ch: str) -> None:
    article = f"a {ch}word{ch} here"
    assert fold(article) == f"a {ch}word{ch} here"
    evidence = Grounder(article, normalize(article)).locate_words('"word"')
    assert evidence.status is GroundingStatus.ungrounded
