"""Clean an article for the model while keeping a map back to the original character offsets.

Web articles arrive with boilerplate ("Leave a comment", "[ad_1]", share widgets, comment forms)
and glued sentences ("wounded.Major"). Cleaning before extraction pays; but every fact must point
at the *original* text, so each character of the cleaned text remembers where it came from.

Broken encodings are repaired first, by ftfy rather than by code of ours: text read in the wrong
encoding ("Itâ€™s", "cafÃ©", "Ã¢â‚¬â„¢" twice over, C1 controls) and HTML entities left in it
("Kata&#8217;ib", "AT&amp;T"). On the hand-written cases of ``tests/finders/cases.jsonl``
(``benchmarks/text_libraries.py``) no repair passes 13 of 35, ftfy's defaults 22 (they straighten curly
quotes, clean ones too), ftfy with ``encoding_fixes()`` all 35: it repairs every broken case and leaves
every clean one as written, and the corpus articles come out byte-identical. The repair runs before
lines are split (a Latin-1 "Å" holds U+0085, a line break to ``str.splitlines``). Where ftfy turns k
original characters into m, the original and the repaired line are aligned (``_align``) and the m new
characters are spread evenly over the k they replace, each mapped to a position inside that stretch:
a repaired character maps to the first character of its mojibake, so a span that ends on one stops
inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ftfy import TextFixerConfig

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


# Aligning a repaired line with the original: the first window after a difference, and how many
# shared characters end a repaired stretch.
_WINDOW = 256
_RESYNC = 8


def encoding_fixes() -> TextFixerConfig:
    """ftfy's settings for ``normalize``: repair what a wrong encoding broke, and nothing else.

    On: mojibake (with its no-break-space, lossy, mixed-encoding and C1-control variants), UTF-16
    surrogates, and HTML entities unless the line holds a literal "<" (ftfy's "auto"). Off: straight
    quotes for curly ones (the project's quotes stay curly), ligatures, full-width letters, line breaks,
    control and terminal characters, and Unicode normalization, so clean text is left byte-identical.
    """
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html="auto",
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def repair_encoding(text: str) -> tuple[str, list[int] | None]:
    """``text`` with broken encodings repaired (``encoding_fixes``), and where each character came from.

    Returns the repaired text and ``origin``, with ``origin[i]`` the index in ``text`` of repaired
    character ``i``; ``origin`` is None when nothing changed. Like ``ftfy.fix_text``, the text is fixed
    one line (up to and including "\n") at a time, and entities stay as written from the first line
    that holds a literal "<" on (the text is HTML then).
    """
    if text.isascii() and "&" not in text:  # nothing the chosen fixes change
        return text, None
    import ftfy

    config = encoding_fixes()
    pieces: list[str] = []
    changed: list[tuple[int, str, str]] = []  # (start in text, line, repaired line)
    position = 0
    while position < len(text):
        end = text.find("\n", position) + 1 or len(text)
        line = text[position:end]
        if config.unescape_html == "auto" and "<" in line:
            config = config._replace(unescape_html=False)
        fixed = line
        if not line.isascii() or (config.unescape_html is not False and "&" in line):
            fixed = ftfy.fix_text(line, config)
        if fixed != line:
            changed.append((position, line, fixed))
        pieces.append(fixed)
        position = end
    if not changed:
        return text, None
    origin: list[int] = []
    copied = 0  # characters of ``text`` before ``start`` that no repair touched map to themselves
    for start, line, fixed in changed:
        origin.extend(range(copied, start))
        origin.extend(start + at for at in _align(line, fixed))
        copied = start + len(line)
    origin.extend(range(copied, len(text)))
    last = len(text) - 1
    return "".join(pieces), [min(at, last) for at in origin]


def _align(line: str, fixed: str) -> list[int]:
    """For each character of ``fixed`` (``line`` repaired), its index in ``line``.

    The characters both share map to themselves; the m characters of a stretch that differs (k
    characters of ``line`` between two shared runs) map to positions spread evenly over those k. After
    each difference, a window of each text is aligned (rapidfuzz's ``Indel``, a longest common
    subsequence) up to the first shared run of ``_RESYNC`` characters, and the window grows until it
    holds one: aligning whole lines costs the product of their lengths (4 s for a flattened article of
    200,000 characters on one line; difflib's ``SequenceMatcher`` took 17 s for 22,000), windows 0.2 s.
    """
    from rapidfuzz.distance import Indel

    origin: list[int] = []
    at_line = at_fixed = 0
    while True:
        shared = _shared_prefix(line, at_line, fixed, at_fixed)
        origin.extend(range(at_line, at_line + shared))
        at_line, at_fixed = at_line + shared, at_fixed + shared
        if at_line == len(line) or at_fixed == len(fixed):
            origin.extend(_spread(at_line, len(line), len(fixed) - at_fixed))
            return origin
        window = _WINDOW
        while True:
            left, right = line[at_line : at_line + window], fixed[at_fixed : at_fixed + window]
            runs = [(b.src_start, b.src_end, b.dest_start) for b in Indel.opcodes(left, right) if b.tag == "equal"]
            if at_line + window >= len(line) and at_fixed + window >= len(fixed):  # the rest fits: all of it
                origin.extend(at_line + at for at in _map_runs(runs, len(left), len(right)))
                return origin
            long = next((n for n, (start, end, _) in enumerate(runs) if end - start >= _RESYNC), None)
            if long is not None:
                break
            window *= 4
        until_line, _, until_fixed = runs[long]
        origin.extend(at_line + at for at in _map_runs(runs[:long], until_line, until_fixed))
        at_line, at_fixed = at_line + until_line, at_fixed + until_fixed


def _map_runs(runs: list[tuple[int, int, int]], line_end: int, fixed_end: int) -> list[int]:
    """Where each of the first ``fixed_end`` characters of a text comes from in another's first
    ``line_end``, given the runs both share, in order (start and end in the other, start in this one)."""
    origin: list[int] = []
    done_line = done_fixed = 0
    for start, end, fixed_start in runs:
        origin.extend(_spread(done_line, start, fixed_start - done_fixed))
        origin.extend(range(start, end))
        done_line, done_fixed = end, fixed_start + end - start
    origin.extend(_spread(done_line, line_end, fixed_end - done_fixed))
    return origin


def _shared_prefix(left: str, at_left: int, right: str, at_right: int) -> int:
    """How many characters ``left[at_left:]`` and ``right[at_right:]`` share at their start."""
    shared, step = 0, 256
    while left[at_left + shared : at_left + shared + step] == right[at_right + shared : at_right + shared + step]:
        if at_left + shared + step > len(left) or at_right + shared + step > len(right):
            break
        shared += step
    while (
        at_left + shared < len(left)
        and at_right + shared < len(right)
        and left[at_left + shared] == right[at_right + shared]
    ):
        shared += 1
    return shared


def _spread(start: int, end: int, count: int) -> list[int]:
    """Positions in ``[start, end)`` for ``count`` new characters replacing that stretch, in order;
    characters inserted where nothing was replaced map to the character they precede."""
    if end <= start:
        return [start] * count
    return [start + n * (end - start) // count for n in range(count)]


def normalize(original: str) -> NormalizedText:
    """Repair broken encodings, drop boilerplate lines and wiki tails, restore missing sentence spaces,
    squeeze blank lines."""
    repaired, origin = repair_encoding(original)
    cleaned = _clean(repaired)
    if origin is None:
        return cleaned
    return NormalizedText(cleaned.text, tuple(origin[at] for at in cleaned.offsets), len(original))


def _clean(original: str) -> NormalizedText:
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
