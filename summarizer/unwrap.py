"""Which line breaks of a hard-wrapped text fall inside a paragraph, so that ``normalize`` joins them.

Wire copy, e-mail and text taken from PDFs break every line near one width (60-80 characters), inside
sentences; the parse would read each line as a sentence. Whether a text is hard-wrapped is read from
its shape alone, never from its words:

- at least two lines end without a sentence's final mark and the next line goes on in lower case
  ("... was ambushed by" / "militants at a checkpoint"): the longest of them is the wrap width;
- the width is that of a wrap (30 to 120 characters), such lines are at least a fifth of the lines
  followed by another, and most of those end near the width (three quarters of it or more).

A web article with one paragraph a line has neither, and is left as it is, byte for byte. In a
hard-wrapped text a break is joined when the line before it is a wrapped one and the line after it
does not open a paragraph:

- a blank line between them, or a line indented deeper than the one before it, opens a paragraph;
  so does a line the caller says opens one (a dateline, a byline, a credit, a link line, a list
  item, a table row: ``opens``), and nothing joins a line the caller says stands alone (``alone``);
- the line before is wrapped when the next line's first word would not have fitted on it (a wrap
  breaks only there), or, when it ends without a sentence's final mark, when it fills three quarters
  of the width or the next line goes on in lower case.

A joined break becomes one space; a word the wrap cut at its hyphen ("rocket-" / "propelled",
"Al-" / "Shabaab") is joined without one. Either way the text keeps the map of every character to the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

MIN_WIDTH = 30
MAX_WIDTH = 120
_NEAR_WIDTH = 0.75  # a wrapped line fills this share of the width or more
_OVER_WIDTH = 1.1  # a line longer than this share of the width was not wrapped at it
_CONTINUED_SHARE = 0.2  # lines that go on in lower case, among the lines followed by another
_NEAR_SHARE = 0.6  # lines that end near the width, among the lines followed by another

# A sentence's final mark at the end of a line, before closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")
# A word the wrap cut at its hyphen: a letter and a hyphen end the line, a letter opens the next.
_CUT_WORD = re.compile(r"[^\W\d_]-$")


def soft_breaks(lines: Sequence[str], *, opens: Callable[[str], bool], alone: Callable[[str], bool]) -> dict[int, str]:
    """The lines (by index, their line break removed) whose break to the next line a hard wrap put inside a
    paragraph, with what replaces the break: " ", or "" inside a word cut at its hyphen. Empty when the text
    is not hard-wrapped."""
    width = wrap_width(lines)
    if width is None:
        return {}
    joins: dict[int, str] = {}
    for index in range(len(lines) - 1):
        line, after = lines[index], lines[index + 1]
        if not line.strip() or not after.strip() or _indent(after) > _indent(line):
            continue
        if not _wrapped(line.rstrip(), after.strip(), width) or alone(line) or opens(after):
            continue
        cut = _CUT_WORD.search(line.rstrip()) is not None and after.lstrip()[:1].isalpha()
        joins[index] = "" if cut else " "
    return joins


def wrap_width(lines: Sequence[str]) -> int | None:
    """The width the text is hard-wrapped at, or None when it is not hard-wrapped (see the module)."""
    pairs = [(a.rstrip(), b.strip()) for a, b in pairwise(lines) if a.strip() and b.strip()]
    continued = [len(a) for a, b in pairs if _goes_on(a, b)]
    if len(continued) < 2:
        return None
    width = max(continued)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return None
    inner = [len(a) for a, _ in pairs if len(a) <= width * _OVER_WIDTH]
    near = [n for n in inner if n >= width * _NEAR_WIDTH]
    if len(continued) < _CONTINUED_SHARE * len(inner) or len(near) < _NEAR_SHARE * len(inner):
        return None
    return width


def _goes_on(line: str, after: str) -> bool:
    """The line ends inside a sentence and the next goes on in lower case."""
    return _SENTENCE_END.search(line) is None and after[:1].islower()


def _wrapped(line: str, after: str, width: int) -> bool:
    """Whether a wrap at ``width`` broke ``line`` before ``after`` (both without their outer spaces)."""
    if len(line) > width * _OVER_WIDTH:
        return False
    if len(line) + 1 + len(after.split()[0]) > width:  # the next word did not fit
        return True
    if _SENTENCE_END.search(line) is not None:
        return False
    return after[:1].islower() or len(line) >= width * _NEAR_WIDTH


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
