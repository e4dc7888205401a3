"""How text is folded before it is compared: one rule for the grounder, the gold matcher and the scorer.

Models and articles write the same words with different characters. Before two texts are compared,
both are folded:

- curly quotes, low-9 quotes, guillemets and the backtick become straight quotes (``"`` or ``'``);
- every dash (hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar) becomes
  ``-``;
- the no-break space becomes a space;
- case is folded (``str.casefold``: "ß" -> "ss");
- every run of whitespace becomes one space, and leading and trailing whitespace goes.

``FOLDED_CHARACTERS`` is the one table of the first three steps. Every entry replaces one character by
one character, so ``fold_characters`` keeps the length and every offset of its input: the grounder
(``summarizer.grounding.canonical``) relies on that for its index map back into the article. ``fold``
is the whole rule on plain strings; ``canonical(text)[0] == fold(text)`` for every text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

FOLDED_CHARACTERS: Mapping[str, str] = MappingProxyType(
    {
        # double quotes
        "\u201c": '"',  # “ left double quotation mark
        "\u201d": '"',  # ” right double quotation mark
        "\u201e": '"',  # „ double low-9 quotation mark
        "\u00ab": '"',  # « left-pointing double angle quotation mark
        "\u00bb": '"',  # » right-pointing double angle quotation mark
        # single quotes
        "\u2018": "'",  # ‘ left single quotation mark
        "\u2019": "'",  # ’ right single quotation mark (and apostrophe)
        "\u201a": "'",  # ‚ single low-9 quotation mark
        "`": "'",  # grave accent used as a quote
        # dashes
        "\u2010": "-",  # ‐ hyphen
        "\u2011": "-",  # ‑ non-breaking hyphen
        "\u2012": "-",  # ‒ figure dash
        "\u2013": "-",  # – en dash
        "\u2014": "-",  # — em dash
        "\u2015": "-",  # ― horizontal bar
        # spaces
        "\u00a0": " ",  # no-break space
    }
)
_TABLE = str.maketrans(dict(FOLDED_CHARACTERS))


def fold_characters(text: str) -> str:
    """Quotes straightened, dashes made hyphens, no-break spaces made spaces; same length as ``text``."""
    return text.translate(_TABLE)


def fold(text: str) -> str:
    """The whole rule: characters folded, case folded, whitespace runs made one space, ends stripped."""
    return " ".join(fold_characters(text).casefold().split())


# Characters that separate words ("Iran-backed", "Iraq/Syria"): they become spaces, so both halves
# stay whole words. Every dash is a hyphen once folded. Every other punctuation or symbol character
# is dropped ("U.S." -> "us", "Kata'ib" -> "kataib"), after curly quotes were straightened.
_WORD_SEPARATORS = frozenset("-/\\_|")


def words(text: str, *, punctuation_breaks_words: bool = False) -> tuple[str, ...]:
    """The words of ``text`` for comparing names and quotes: folded, punctuation ignored.

    Punctuation is dropped ("U.S." -> "us"), or with ``punctuation_breaks_words`` read as a space
    ("forces”.Also" -> "forces also").
    """
    dropped = " " if punctuation_breaks_words else ""
    out: list[str] = []
    for ch in fold(text):
        if ch in _WORD_SEPARATORS or ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch)[0] in "PS":  # punctuation and symbols
            out.append(dropped)
        else:
            out.append(ch)
    return tuple("".join(out).split())


def fold_words(text: str) -> str:
    """``words`` joined by single spaces: the key under which two spellings of a name are the same."""
    return " ".join(words(text))


def name_key(text: str) -> str:
    """``fold_words`` with accents taken off: the key under which two spellings of a person's or a
    body's name are one ("Nicolás Maduro" and "Nicolas Maduro"). Only for names: a quote keeps its
    accents."""
    decomposed = unicodedata.normalize("NFKD", fold_words(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_words(text: str, needle: str) -> bool:
    """Whether the words of ``needle`` stand in ``text`` as a run of whole words, both folded
    ("Pompeo" in "Mike Pompeo", never "US" in "Russia"); an empty needle never does."""
    folded = fold_words(needle)
    return bool(folded) and f" {folded} " in f" {fold_words(text)} "
