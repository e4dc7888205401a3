from __future__ import annotations

from summarizer.grounding import Grounder
from summarizer.normalize import normalize
from summarizer.schema import GroundingStatus

ARTICLE = """[ad_1]

“The secretary reiterated that the defensive response actions taken by the United States were aimed at deterring Iraq,” the spokeswoman said.
At least 25 people were killed and 51   wounded in the strikes on Sunday.
"""


def grounder() -> Grounder:
    return Grounder(ARTICLE, normalize(ARTICLE))


def test_exact_snippet_is_grounded_with_original_offsets() -> None:
    evidence = grounder().locate("At least 25 people were killed")
    assert evidence.status is GroundingStatus.grounded
    assert evidence.start is not None and evidence.end is not None
    assert ARTICLE[evidence.start : evidence.end] == "At least 25 people were killed"
    assert evidence.quote is None  # identical to the snippet


def test_quote_style_whitespace_and_case_do_not_matter() -> None:
    evidence = grounder().locate('  "the secretary reiterated that the defensive response ')
    assert evidence.status is GroundingStatus.grounded
    assert evidence.quote is not None and evidence.quote.startswith("“The secretary")
    spaced = grounder().locate("killed and 51 wounded")
    assert spaced.status is GroundingStatus.grounded
    assert spaced.quote == "killed and 51   wounded"


def test_near_miss_is_fuzzy_with_score() -> None:
    evidence = grounder().locate(
        "the defensive response action taken by the United States were aimed at deterring Iraq"
    )
    assert evidence.status is GroundingStatus.fuzzy
    assert 0.9 <= evidence.score < 1.0
    assert evidence.start is not None


def test_invented_text_is_ungrounded_without_offsets() -> None:
    evidence = grounder().locate("Iran announced new sanctions against Washington")
    assert evidence.status is GroundingStatus.ungrounded
    assert evidence.start is None and evidence.end is None and evidence.score == 0


def test_short_phrases_match_whole_words_only_and_never_fuzzily() -> None:
    g = grounder()
    assert g.locate_words("5").status is GroundingStatus.ungrounded  # "25" and "51" do not contain the word 5
    assert g.locate_words("51").status is GroundingStatus.grounded
    assert g.locate_words("52").status is GroundingStatus.ungrounded


def test_window_restricts_the_search() -> None:
    g = grounder()
    sentence = g.locate("At least 25 people were killed and 51 wounded")
    assert sentence.start is not None and sentence.end is not None
    inside = g.locate_words("25", window=(sentence.start, sentence.end))
    assert inside.status is GroundingStatus.grounded
    assert g.locate_words("secretary", window=(sentence.start, sentence.end)).status is GroundingStatus.ungrounded


def test_fast_canonical_equals_the_character_loop_and_the_shared_rule() -> None:
    import random

    from summarizer.grounding import _canonical_by_char, canonical
    from summarizer.textfold import FOLDED_CHARACTERS, fold

    rng = random.Random(7)
    alphabet = "aB \n\t  x.ÉéSTRASSEß,\u2039\u2212" + "".join(FOLDED_CHARACTERS)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        folded, index = canonical(text)
        assert (folded, index) == _canonical_by_char(text), repr(text)
        assert folded == fold(text), repr(text)
        assert len(index) == len(folded) and index == sorted(index)
        # each canonical character comes from the character the index names
        assert all(ch in fold(text[i]) or ch == " " for ch, i in zip(folded, index, strict=True)), repr(text)
