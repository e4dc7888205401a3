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

Hard-wrapped text (wire copy, e-mail, text from PDFs) has its lines joined into their paragraphs
(``unwrap.py`` decides which breaks a wrap put inside a paragraph, from the text's shape; a line that
opens a paragraph or stands alone is told here: a dateline, a byline, a credit, a link line, a list item,
a table row, boilerplate); each joined break becomes one space mapped to the break, so every offset
still maps back. Page furniture stays in the text, where the finders' analysis blanks it
(``furniture_spans``: bylines, photo credits and captions, link lines, editor's notes, the rules of
``rules/normalize.yaml``), and the article's own dateline (``article_dateline``) fills the summary's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from summarizer.rules.engine import first_of, rule, search
from summarizer.rules.engine import match as rule_match
from summarizer.unwrap import soft_breaks

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
# "KABUL, Dec 3 (Xinhua) --", "BOGOTA, 12 May (Reuters) --"): its own paragraph, so the parse does not read
# the city, or the agency, as the subject of the lead sentence.
# Several places joined by slashes ("Washington DC/Tehran/Moscow:", "WASHINGTON/BAGHDAD (Reuters) -")
# make one too, in any case; a place in ordinary case makes one with an agency ("Bogota, 12 May (Reuters) --").
_CAPS_PLACE = r"[A-Z][A-Z'.-]{2,}(?:[ -][A-Z][A-Z'.-]+)*"
_NAMED_PLACE = r"[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?"
_REGION = r"(?:,\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*){0,2}"
_DAY = r"(?P<date>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)"
_AGENCY = r"\([A-Za-z][\w .-]*\)"
_DASH = r"\s*(?P<dash>—|–|--|-|:)(?P<space>\s+)(?=\S)"
_DATELINE = re.compile(
    rf"(?P<place>{_CAPS_PLACE}|{_NAMED_PLACE}(?:/{_NAMED_PLACE})+){_REGION}(?:,?\s+{_DAY})?(?:\s*{_AGENCY})?{_DASH}"
)
_NAMED_DATELINE = re.compile(rf"(?P<place>{_NAMED_PLACE}){_REGION}(?:,\s+{_DAY})?\s*{_AGENCY}{_DASH}")
# How far into the text the article's own dateline may stand (after a headline, a byline, a date line).
_LEAD_CHARS = 1000


def _dateline(text: str, start: int = 0) -> re.Match[str] | None:
    """A dateline at ``start``; one word before a colon is a label ("SYSTEM:", "UPDATE:"), no place."""
    found = _DATELINE.match(text, start) or _NAMED_DATELINE.match(text, start)
    if found is None or (found.group("dash") == ":" and not {",", "(", "/"} & set(found.group(0))):
        return None
    return found if rule("dateline.find.place-dash") else None


def is_dateline(paragraph: str) -> bool:
    """Whether a paragraph of normalized text is a dateline alone ("KABUL, Dec 3 (Xinhua) --")."""
    return _dateline_alone(paragraph.strip()) is not None


def _dateline_alone(stripped: str) -> re.Match[str] | None:
    found = _dateline(stripped + " .")
    return found if found is not None and found.end("space") == len(stripped) + 1 else None


@dataclass(frozen=True)
class ArticleDateline:
    """The article's own dateline in normalized text: its words (``start``..``end``), its place and its
    date as written ("12 May"), if it gives one."""

    start: int
    end: int
    place: str
    date: str | None


def article_dateline(text: str) -> ArticleDateline | None:
    """The article's dateline: the first paragraph of normalized ``text`` that is a dateline, before the
    article's first sentence (a headline, a byline or a date line may stand above it)."""
    position = 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        stripped = line.strip()
        if start > _LEAD_CHARS:
            return None
        found = _dateline_alone(stripped) if stripped else None
        if found is not None:
            lead = start + len(line) - len(line.lstrip())
            return ArticleDateline(lead, lead + found.end("dash"), found.group("place"), found.group("date"))
        if is_sentence(stripped) and furniture(stripped) is None:
            return None
    return None


def is_sentence(paragraph: str) -> bool:
    """A paragraph of the article's text, not a headline: six words or more, ending with a stop."""
    return paragraph.rstrip("\"'”’)")[-1:] in {".", "!", "?"} and len(paragraph.split(maxsplit=5)) == 6


# --- lines in hard-wrapped text, and page furniture -------------------------------------------

# A list item ("- ", "• ", "1. ", "a) ") and a table row (a tab, two bars, two wide gaps).
_LIST_ITEM = re.compile(r"^(?:[-*•▪◦]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+)")
_TABLE_ROW = re.compile(r"\t|\|.*\||\S {3,}\S.*\S {3,}\S")
# Page furniture a line at a time (rules of rules/normalize.yaml), and those that stand alone in wrapped text.
FURNITURE_LINES = ("furniture.byline", "furniture.credit", "furniture.wire-credit", "furniture.link", "furniture.note")
_ALONE = frozenset({"furniture.byline", "furniture.link"})
# A photo's credit in parentheses at the end of its caption ("... on Jan. 22. (AP Photo/Farah Abdi)").
_CREDIT_AT_END = re.compile(r"\([^()\n]*\)\s*$")
# Where a credit glued to a caption may start: after a stop, three words or more to the paragraph's end with no
# stop of their own at it ("... at dawn. By JANE DOE", "... at dawn. Photo: Jane Doe/AFP").
_AFTER_STOP = re.compile(r"(?<=[.!?”\"])\s+(?=\S+\s+\S+\s+\S[^\n]*[^.!?\s]\s*$)")
_CAPTION_MAX_CHARS = 400  # a caption is a sentence or two, not a paragraph of the story


def furniture(line: str) -> str | None:
    """The rule that finds ``line`` (one paragraph) to be page furniture: a byline, a photo's credit, a wire
    story's credit, a link line or an editor's note; None when it is none (recorded when found)."""
    return first_of(FURNITURE_LINES, line.strip())


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """The paragraphs of normalized ``text`` that are page furniture (``furniture``), and the captions of the
    photos they credit, as (start, end): the finders take no actor, speaker or action from them."""
    lines: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line)))
        position += len(line) + 1
    kinds = [furniture(text[start:end]) if text[start:end].strip() else None for start, end in lines]
    spans = []
    for index, (start, end) in enumerate(lines):
        found = kinds[index] is not None
        if not found and text[start:end].strip():
            found = rule("furniture.caption", _caption(text, lines, kinds, index))
        if found:
            spans.append((start, end))
    spans.extend(_file_photo_captions(text, spans))
    spans.extend(span for span in media_controls(text) if not any(a <= span[0] < b for a, b in spans))
    return sorted(spans)


# Controls of one gallery or player close together ("Full Screen Autoplay Close Skip Ad", "image copyright
# AFP image caption") make one run, with what stands between them; a close mark or a stop right after is
# the run's too.
_CONTROLS_APART = 30
_STOPS = frozenset(".!?\n")
_AFTER_CONTROLS = re.compile(r"\s*(?:×|[.!?])")


def media_controls(text: str) -> list[tuple[int, int]]:
    """The controls of a photo gallery or a video player that a page glued into the text, each run as
    (start, end): "1 of 46 Full Screen Autoplay Close Skip Ad ×", "View Photos", "Buy Photo Wait 1 second to
    continue.", "image copyright AFP image caption". Only the controls: the captions among them tell the
    article's events ("Protesters clash with Venezuelan security forces"), each read as a paragraph of its own
    (``ArticleAnalysis.of`` ends each run with a line break)."""
    found: list[tuple[int, int]] = []
    position = 0
    while (control := search("furniture.media-widget", text, position)) is not None:
        start, end = control.span()
        while (
            following := search("furniture.media-widget", text, end, min(end + _CONTROLS_APART, len(text)))
        ) is not None and not _STOPS & set(text[end : following.start()]):
            end = following.end()
        after = _AFTER_CONTROLS.match(text, end)
        end = after.end() if after is not None else end
        found.append((start, end))
        position = end
    return found


def _file_photo_captions(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The agencies' "FILE - ..." captions of archive photos, which a page that lost its line breaks glues
    into the text ("... a militant.FILE - A police officer stands outside ... May 24, 2017.At least")."""
    found: list[tuple[int, int]] = []
    position = 0
    while (caption := search("furniture.file-photo", text, position)) is not None:
        position = caption.end()
        if not any(start <= caption.start() < end for start, end in spans):
            found.append((caption.start(), caption.end()))
    return found


def _caption(text: str, lines: list[tuple[int, int]], kinds: list[str | None], index: int) -> bool:
    """A paragraph that ends with a photo's credit in parentheses, a short one whose last sentence is a
    credit or byline glued to it (a page's caption and credit read as one paragraph), or that is a block of
    its own (a blank line above it) with a credit line right under it."""
    start, end = lines[index]
    tail = _CREDIT_AT_END.search(text, start, end)
    credited = tail is not None and text[start:end].strip() != tail.group(0).strip()
    if credited and tail is not None and rule_match("furniture.credit", tail.group(0)) is not None:
        return True
    if end - start <= _CAPTION_MAX_CHARS and any(
        furniture(text[stop.end() : end]) in ("furniture.byline", "furniture.credit")
        for stop in _AFTER_STOP.finditer(text, start, end)
    ):
        return True
    opens_block = index == 0 or not text[lines[index - 1][0] : lines[index - 1][1]].strip()
    return opens_block and index + 1 < len(lines) and kinds[index + 1] == "furniture.credit"


def _stands_alone(line: str) -> bool:
    """A line that nothing joins in hard-wrapped text, to the line before or after: boilerplate, a table row,
    a dateline alone, a byline, a link line."""
    stripped = line.strip()
    return bool(
        _BOILERPLATE_LINE.match(stripped)
        or _TAIL_LINE.match(stripped)
        or _TABLE_ROW.search(stripped)
        or is_dateline(stripped)
        or furniture(stripped) in _ALONE
    )


def _opens_paragraph(line: str) -> bool:
    """A line that starts a paragraph in hard-wrapped text: one that stands alone, a list item, a line that
    opens with a dateline, a credit or an editor's note."""
    stripped = line.strip()
    return (
        _stands_alone(line)
        or _LIST_ITEM.match(stripped) is not None
        or _dateline(stripped) is not None
        or furniture(stripped) is not None
    )


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
    """Join hard-wrapped lines, drop boilerplate lines and wiki tails, restore missing sentence spaces,
    squeeze blank lines."""
    chars: list[str] = []
    offsets: list[int] = []
    blank_run = 0
    for line_start, body, origin in _lines(original):
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
                offsets.append(origin[lead + i])
            for ch in replacement:  # new characters map to the original character they replace or precede
                chars.append(ch)
                offsets.append(origin[lead + start])
            cursor = end
        for i in range(cursor, len(content)):
            chars.append(content[i])
            offsets.append(origin[lead + i])
        if heading:
            break
    return NormalizedText("".join(chars), tuple(offsets), len(original))


def _lines(text: str) -> Iterator[tuple[int, str, list[int]]]:
    """The lines of ``text`` with hard-wrapped ones joined (``unwrap.soft_breaks``): each line's start, its
    text without its line break, and ``origin``, the index in ``text`` of each of its characters and, last,
    of what follows it. A joined break is one space (none inside a word cut at its hyphen), mapped to the
    break; the spaces around it are dropped."""
    lines = text.splitlines(keepends=True)
    bodies = [line.rstrip("\r\n") for line in lines]
    joins = soft_breaks(bodies, opens=_opens_paragraph, alone=_stands_alone)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    index = 0
    while index < len(lines):
        first = index
        body = bodies[index]
        origin = list(range(starts[index], starts[index] + len(body)))
        while index in joins:
            kept = body.rstrip()
            origin = origin[: len(kept)]
            at_break = origin[-1] + 1 if origin else starts[index]
            following = bodies[index + 1]
            lead = len(following) - len(following.lstrip())
            body = kept + joins[index] + following[lead:]
            origin += [at_break] * len(joins[index])
            origin += range(starts[index + 1] + lead, starts[index + 1] + len(following))
            index += 1
        origin.append(starts[index] + len(bodies[index]))
        yield starts[first], body, origin
        index += 1


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
            edits.append((dateline.start("space"), dateline.end("space"), "\n\n"))
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
