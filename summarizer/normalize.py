"""Clean an article for the model while keeping a map back to the original character offsets.

Web articles arrive with boilerplate ("Leave a comment", "[ad_1]", share widgets, comment forms)
and glued sentences ("wounded.Major"). Cleaning before extraction pays; but every fact must point
at the *original* text, so each character of the cleaned text remembers where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Whole lines that are page furniture, not article text (matched case-insensitively, stripped).
_BOILERPLATE_LINE = re.compile(
    r"""^(
        \[ad_\d+\]
      | leave\ a\ (comment|reply)
      | (post\ )?comment(s)?(\ \(\d+\))?
      | share(\ this)?(\ (on|via)\ \w+)?:?
      | (share\ on\ )?(facebook|twitter|whatsapp|telegram|linkedin|email|print|reddit)
      | (tweet|pin\ it|copy\ link|subscribe|sign\ up|log\ ?in|advertisement|related(\ articles|\ posts)?)
      | read\ more:?
      | your\ email\ address\ will\ not\ be\ published.*
      | required\ fields\ are\ marked.*
      | save\ my\ name,\ email.*
      | (name|email|website)\ ?\*?
      | you\ may\ also\ like
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Tails that start a page's navigation rather than the article ("See also" in wiki dumps), as a
# line of its own or as a wiki heading ("== References ==") glued to the last sentence.
_TAIL_LINE = re.compile(r"^(see also|references|external links|notes)\s*$", re.IGNORECASE)
_TAIL_HEADING = re.compile(r"\s*==+\s*(see also|references|external links|notes)\s*==+", re.IGNORECASE)
# A sentence end glued to the next sentence: "wounded.Major", 'Saturday."Three', "2017.A friend" (not
# "U.S." or "3.5").
_GLUED_SENTENCE = re.compile(r"(?<=[a-z0-9\)\]”\"’])([.!?])(?=[\"“]?[A-Z][a-z]|A [a-z])")
# A wiki section heading inside a line ("...injured.==Attack==A suicide bomber"): its own paragraph.
_INLINE_HEADING = re.compile(r"(==+)\s*([^=\n]{1,80}?)\s*(==+)")
# A wiki list glued into one line ("...nationality.*2015-12-21, Special Agent ..."): one item a line.
_INLINE_BULLET = re.compile(r"(?<=[\w.\])])\*(?=[\w\[])")
# A headline glued to the dateline or the first sentence ("AfghanistanKANDAHAR, ...", "SyriaThe desert"),
# or any paragraph glued to the next one's first word when the page lost its line breaks ("...US
# BombZabiullah Mujahid, the spokesperson", "in the middle of the streetPolice officer"). Three lower
# case letters first: "McDonald", "MacStiofain", "YouTube" stay whole.
_GLUED_HEADLINE = re.compile(
    r"(?<=[a-z])(?=[A-Z]{3,}[,\s—–-]|(?:The|A|An|In|On|At|By|As|It|He|We|If)\s)|(?<=[a-z]{3})(?=[A-Z][a-z]{2,})"
)

# A dateline before the first sentence ("MAIDUGURI, NIGERIA —", "ERBIL, Iraq, Feb 16 (Reuters) -",
# "KABUL, Dec 3 (Xinhua) --"): its own paragraph, so the parse does not read the city, or the agency,
# as the subject of the lead sentence.
# Several places joined by slashes ("Washington DC/Tehran/Moscow:", "WASHINGTON/BAGHDAD (Reuters) -")
# make one too, in any case.
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z'.-]{2,}(?:[ -][A-Z][A-Z'.-]+)*"
    r"|[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?(?:/[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?)+)"
    r"(?:,\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*){0,2}"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([A-Za-z][\w .-]*\))?\s*(—|–|--|-|:)(\s+)(?=\S)"
)


def _dateline(text: str, start: int = 0) -> re.Match[str] | None:
    """A dateline at ``start``; one word before a colon is a label ("SYSTEM:", "UPDATE:"), no place."""
    found = _DATELINE.match(text, start)
    if found is None or (found.group(1) == ":" and not {",", "(", "/"} & set(found.group(0))):
        return None
    return found


def is_dateline(paragraph: str) -> bool:
    """Whether a paragraph of normalized text is a dateline alone ("KABUL, Dec 3 (Xinhua) --")."""
    found = _dateline(paragraph.strip() + " .")
    return found is not None and found.end(2) == len(paragraph.strip()) + 1


@dataclass(frozen=True)
class NormalizedText:
    """Cleaned text plus ``offsets[i]``: the original index of cleaned character ``i``."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the cleaned text to a half-open span of the original."""
        if end <= start:
            origin = self.offsets[start] if start < len(self.offsets) else self.original_length
            return origin, origin
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(original: str) -> NormalizedText:
    """Drop boilerplate lines and wiki tails, restore missing sentence spaces, squeeze blank lines."""
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    blank_run = 0
    for line in original.splitlines(keepends=True):
        line_start = position
        position += len(line)
        body = line.rstrip("\r\n")
        heading = _TAIL_HEADING.search(body)
        if heading:
            body = body[: heading.start()]
        stripped = body.strip()
        if _TAIL_LINE.match(stripped) and len(chars) > 200:
            break
        if not stripped or _BOILERPLATE_LINE.match(stripped):
            blank_run += 1
            continue
        if chars:
            # Keep paragraph breaks (one blank line at most) between kept lines.
            separator = "\n\n" if blank_run else "\n"
            for ch in separator:
                chars.append(ch)
                offsets.append(line_start)
        blank_run = 0
        lead = len(body) - len(body.lstrip())
        content = body.strip()
        cursor = 0
        for start, end, replacement in _edits(content):
            for i in range(cursor, start):
                chars.append(content[i])
                offsets.append(line_start + lead + i)
            for ch in replacement:  # new characters map to the original character they replace or precede
                chars.append(ch)
                offsets.append(line_start + lead + start)
            cursor = end
        for i in range(cursor, len(content)):
            chars.append(content[i])
            offsets.append(line_start + lead + i)
        if heading:
            break
    return NormalizedText("".join(chars), tuple(offsets), len(original))


def _edits(line: str) -> list[tuple[int, int, str]]:
    """Replacements ``(start, end, new)`` that repair one line, in order and never overlapping."""
    edits: list[tuple[int, int, str]] = []
    for match in _INLINE_HEADING.finditer(line):
        edits.append((match.start(1), match.end(1), "\n\n"))
        edits.append((match.start(3), match.end(3), "\n\n"))
    for match in _INLINE_BULLET.finditer(line):
        edits.append((match.start(), match.end(), "\n"))
    line_starts = [0]
    for match in _GLUED_HEADLINE.finditer(line):
        edits.append((match.start(), match.start(), "\n\n"))
        line_starts.append(match.start())
    for start in line_starts:
        if dateline := _dateline(line, start):
            edits.append((dateline.start(2), dateline.end(2), "\n\n"))
    glued: dict[int, bool] = {}  # a glued straight quotation mark's offset -> it closes a quote
    for match in _GLUED_SENTENCE.finditer(line):
        after = match.end()
        if line[after : after + 1] == '"':
            glued[after] = _closes_a_quote(line, after, glued)
            after += glued[after]  # 'said "...home."White': that mark closes the open quote
        edits.append((after, after, " "))
    edits.sort()
    kept: list[tuple[int, int, str]] = []
    for edit in edits:
        if not kept or (edit[0] >= kept[-1][1] and edit[:2] != kept[-1][:2]):
            kept.append(edit)
    return kept


def _closes_a_quote(line: str, position: int, glued: dict[int, bool]) -> bool:
    """Whether a straight quotation mark glued between two sentences ('home."White') closes a quote.

    The nearest mark before it decides: after an opening mark ('said: "our'), it closes; after a
    closing one, it opens. ``glued`` holds the decisions already taken for earlier glued marks (mark
    offset -> closes), which are read the same way. Counting every mark of the line instead would let
    one mark the article lost (a quote running on into the next paragraph, flattened) flip every
    later decision, and with it which half of the article is quoted."""
    at = line.rfind('"', 0, position)
    if at < 0:
        return False
    if at in glued:
        return not glued[at]
    before = line[at - 1] if at > 0 else " "
    after = line[at + 1] if at + 1 < len(line) else " "
    return not after.isspace() and (before.isspace() or before in "([:—–-")
