"""Paragraphs that are someone's own words without a "said": the turns of a transcript and the body
of a press statement.

A transcript gives each turn as "Speaker: words" ("Deputy Spokesman: Good afternoon. ..."); an
article is one when three or more paragraphs open so. A reporter's turn ("Question: ...") is no
party's statement: its sentences are read as any others ("the Israeli military says ...").

A press statement names itself near the top ("Press Statement", "Press Release") and is signed at
the end by a person over their office ("Brigadier General Nabil Abdallah / Official Spokesperson of
the Armed Forces"); every sentence of its body is the signer's, even "The Armed Forces affirm that
...", except one that quotes or reports someone else ("'We held the line,' said Col. X"), which
stays theirs. Without a signature, the issuer on the first line speaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from summarizer.analysis.attribution import Attribution, Attributor
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.lexicon import ROLE_NOUNS, words
from summarizer.analysis.phrases import Mention
from summarizer.rules.engine import collect, fullmatch, match, rule

_ASKERS = words("asker-word")
_MIN_TURNS = 3
_HEADER_LINES = 6  # a statement names itself among its first lines
_MIN_BODY_WORDS = 8


@dataclass(frozen=True)
class Voiced:
    """Words of the article (``start``..``end``) that ``attribution``'s speaker says in their own voice;
    a reporter's turn has no attribution (its words are read as any others), and ``label`` is where
    a turn names its speaker."""

    start: int
    end: int
    attribution: Attribution | None
    label: tuple[int, int] | None = None
    issuer: str | None = None  # a press statement's issuing body: its sentences that quote others stay theirs
    rules: tuple[str, ...] = field(default=(), compare=False)  # the rules that made the paragraph voiced


def voiced_paragraphs(analysis: ArticleAnalysis, attributor: Attributor) -> list[Voiced]:
    """The transcript turns or the press statement body of the article, in text order."""
    lines = _lines(analysis.text)
    with collect() as trace:
        found = _turns(analysis, attributor, lines) or _statement_body(analysis, attributor, lines)
    return [replace(voice, rules=trace.ids()) for voice in found]


def _lines(text: str) -> list[tuple[int, int]]:
    """The non-empty lines (paragraphs) of the text, as offsets."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end + 1
    return spans


def _speaker(analysis: ArticleAnalysis, attributor: Attributor, start: int, end: int, cue: str) -> Attribution:
    """The person or office the words ``start``..``end`` name, resolved as a "said" subject would be."""
    written = analysis.mention(analysis.token_at(end - 1))
    if not (written.start <= start < written.end or start <= written.start < end):
        written = Mention(start, end, analysis.text[start:end], analysis.text[start:end], None, None, "", False)
    resolved, confident = attributor.resolve(written, start)
    return Attribution(resolved or written, written, cue, start, confident=resolved is not None and confident)


def _turns(analysis: ArticleAnalysis, attributor: Attributor, lines: list[tuple[int, int]]) -> list[Voiced]:
    turns = [
        (start, end, m)
        for start, end in lines
        if (m := match("statement.voice.turn-label", analysis.text, start, end))
        and (len(m.group(1)) > 1 or m.group(1).lower() in _ASKERS)
    ]  # "A:" of an interview names no one
    if not rule("statement.voice.transcript", len(turns) >= _MIN_TURNS):
        return []
    voiced: list[Voiced] = []
    for start, end, turn in turns:
        label = turn.group(1)
        asked = rule("statement.voice.asker", label.lower().rstrip(".") in _ASKERS)
        attribution = None if asked else _speaker(analysis, attributor, start, start + len(label), ":")
        voiced.append(Voiced(turn.end(), end, attribution, (start, start + len(label))))
    return voiced


def _statement_body(analysis: ArticleAnalysis, attributor: Attributor, lines: list[tuple[int, int]]) -> list[Voiced]:
    text = analysis.text
    header = next(
        (
            i
            for i, (s, e) in enumerate(lines[:_HEADER_LINES])
            if fullmatch("statement.voice.release-header", text[s:e].strip())
        ),
        None,
    )
    if header is None:
        return []
    signature = next((i for i in range(len(lines) - 1, header, -1) if _signed(text, lines, i)), None)
    if rule("statement.voice.signature", signature is not None):
        assert signature is not None
        start, end = lines[signature]
        attribution = _speaker(analysis, attributor, start, end, "signed")
        title = text[lines[signature + 1][0] : lines[signature + 1][1]].strip()
        speaker = attribution.speaker
        if rule("statement.voice.signer-title", speaker.title is None):  # the office under the name is the title
            speaker = replace(speaker, title=title, label="PERSON")
        attribution = Attribution(speaker, attribution.written, "signed", start, confident=True)
        last = signature
    else:
        if not rule("statement.voice.issuer-speaks"):
            return []
        start, end = lines[0]
        attribution = _speaker(analysis, attributor, start, end, "issued")
        last = len(lines)
    issuer = text[lines[0][0] : lines[0][1]].strip()
    return [  # the body: whole sentences, not the dateline, the office or a closing slogan line
        Voiced(s, e, attribution, issuer=issuer)
        for s, e in lines[header + 1 : last]
        if len(text[s:e].split()) >= _MIN_BODY_WORDS and text[s:e].rstrip()[-1:] in '.!"”'
    ]


def _signed(text: str, lines: list[tuple[int, int]], index: int) -> bool:
    """A short line without a full stop over a line that names an office: "Nabil Abdallah / Spokesperson"."""
    if index + 1 >= len(lines):
        return False
    name = text[lines[index][0] : lines[index][1]].strip()
    office = text[lines[index + 1][0] : lines[index + 1][1]].strip()
    name_words = name.split()
    return (
        1 < len(name_words) <= 6
        and not name.endswith((".", ":"))
        and all(w[:1].isupper() for w in name_words)
        and any(w.lower().strip(",") in ROLE_NOUNS for w in office.split())
    )
