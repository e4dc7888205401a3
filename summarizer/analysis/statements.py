"""Statement candidates: quoted words and reported speech, each with the speaker the text names.

Code copies every statement's words from the article, so a quote is always verbatim; the speaker
comes from ``attribution.py``. A short quote with no speech cue in its sentence is a scare quote
("defensive attacks"), not a statement; an attributed quote of a few words with no verb, inside
running words, is a term, and the statement is the sentence that holds it, not verbatim. A sentence
that holds nothing but its attribution frame (cut at a line end, or the frame of a quote) is no
statement. A long quote is cut at sentence ends into statements that fit the schema's snippet limit.
A paragraph that starts with "@handle" is a tweet by that handle; the turns of a transcript and the
body of a press statement are their speaker's own words
(``voices.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from summarizer.analysis.attribution import Attribution, Attributor, Cue, cues_in
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.lexicon import words
from summarizer.analysis.phrases import Mention
from summarizer.analysis.quotes import Quote
from summarizer.analysis.traces import Dropped
from summarizer.analysis.voices import Voiced, voiced_paragraphs
from summarizer.rules.engine import Trace, collect, drop, note, rule
from summarizer.textfold import has_words

if TYPE_CHECKING:
    from spacy.tokens import Span

MAX_STATEMENT_CHARS = 400
SHORT_QUOTE_WORDS = 3  # shorter quotes count only with a speech cue in their sentence
# Parts of speech a sentence cut off before its end stops on ("reported that", "a captain and four").
_LEADING_ON = frozenset({"SCONJ", "CCONJ", "DET", "ADP", "NUM"})
# The parts of an attribution frame around its verb: who said it, and the verb's auxiliaries.
_FRAME_DEPS = frozenset({"nsubj", "agent", "aux", "auxpass", "neg"})  # a passive subject is what was said
_SENTENCE_ENDS = frozenset(".!?\"”’'")
_CLOSING_MARKS = frozenset("\"”’'")
TERM_WORDS = 4  # a quote this short with no verb is a term inside a sentence, not the words said
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "advcl", "oprd"})
_TWEET = re.compile(r"@(\w{2,30})\s+")  # a handle, matched at a paragraph start
_POINTING = words("pointing-pronoun")
_ISSUER_WORDS = words("issuer-word")


@dataclass(frozen=True)
class StatementCandidate:
    start: int  # the statement's words in the analysed text
    end: int
    text: str
    verbatim: bool  # the words stand inside quotation marks
    attribution: Attribution | None  # None: code found no speaker
    context: tuple[int, int]  # the sentence(s) around it, to show the model
    rules: tuple[str, ...] = field(default=(), compare=False)


def find_statements(
    analysis: ArticleAnalysis, attributor: Attributor, dropped: list[Dropped] | None = None
) -> list[StatementCandidate]:
    """Quotes and reported speech in text order (so that "He said" resolves to the right person)."""
    voiced = voiced_paragraphs(analysis, attributor)
    dropped = [] if dropped is None else dropped
    found = _find(analysis, attributor, voiced, dropped)
    labels = [v.label for v in voiced if v.label is not None and v.attribution is None]
    kept = []
    for candidate in found:  # reporters' turns: the label is no speaker, and no part of the words
        if rule("statement.drop.asker-label", _said_by_a_label(candidate, labels)):
            label = "statement.drop.asker-label"
            dropped.append(
                Dropped("statement", candidate.start, candidate.end, candidate.text[:80], candidate.rules, label)
            )
            continue
        kept.append(_without_label(candidate, labels))
    return kept


def _traced(candidates: list[StatementCandidate], trace: Trace) -> list[StatementCandidate]:
    return [replace(c, rules=tuple(dict.fromkeys((*trace.ids(), *c.rules)))) for c in candidates]


def _find(
    analysis: ArticleAnalysis, attributor: Attributor, voiced: list[Voiced], dropped: list[Dropped]
) -> list[StatementCandidate]:
    found: list[StatementCandidate] = []
    quotes_by_sentence: dict[int, list[Quote]] = {}
    for quote in analysis.quotes:
        quotes_by_sentence.setdefault(analysis.sentence_index(quote.start), []).append(quote)
    previous: StatementCandidate | None = None
    tweet_paragraphs: set[int] = set()
    for index, sentence in enumerate(analysis.sentences):
        with collect() as trace:
            own_voice = _own_voice(analysis, sentence, voiced)
        if own_voice is not None:  # a transcript turn or a press statement: every word is the speaker's
            found.extend(_traced(own_voice, trace))
            continue
        with collect() as trace:
            tweet = _tweet(analysis, sentence, tweet_paragraphs)
        if tweet is not None:
            found.extend(_traced([tweet], trace))
            continue
        for quote in quotes_by_sentence.get(index, []):
            with collect() as trace:
                candidate = _quote_statement(analysis, attributor, quote, previous)
            if candidate is not None:
                found.extend(_traced(_split_long(analysis, candidate), trace))
                previous = candidate
            elif trace.dropped_by is not None:
                dropped.append(Dropped.at("statement", analysis.text, (quote.start, quote.end), trace))
        with collect() as trace:
            reported = _reported_speech(analysis, attributor, sentence)
        found.extend(_traced(reported, trace))
    return found


def _said_by_a_label(candidate: StatementCandidate, labels: list[tuple[int, int]]) -> bool:
    """ "Question: Thank you.": a turn's label read as the speaker of its words."""
    attribution = candidate.attribution
    return attribution is not None and any(s <= attribution.written.start < e for s, e in labels)


def _without_label(candidate: StatementCandidate, labels: list[tuple[int, int]]) -> StatementCandidate:
    """ "Question: On the West Bank, the ministry says ...": the words after the label."""
    label = next(((s, e) for s, e in labels if s == candidate.start), None)
    if label is None:
        return candidate
    start = label[1] + 1
    while start < candidate.end and candidate.text[start - candidate.start].isspace():
        start += 1
    return replace(candidate, start=start, text=candidate.text[start - candidate.start :])


def _quote_statement(
    analysis: ArticleAnalysis, attributor: Attributor, quote: Quote, previous: StatementCandidate | None
) -> StatementCandidate | None:
    if not rule("statement.find.quote"):
        return None
    cue = _nearest_cue(analysis, quote)
    attribution = attributor.attribute(cue) if cue is not None else None
    if rule("statement.quote.continues", attribution is None and quote.continues and previous is not None):
        assert previous is not None
        attribution = previous.attribution
    if drop("statement.drop.scare-quote", attribution is None and quote.words < SHORT_QUOTE_WORDS):
        return None
    if drop("statement.drop.short-quote-no-cue", attribution is None and cue is None and quote.words < 6):
        return None
    first = analysis.sentence_at(quote.start)
    last = analysis.sentence_at(max(quote.end - 1, quote.start))
    if rule("statement.quote.term-in-sentence", _a_term(analysis, quote)):
        # 'Macron called it an "attack."': the words said are the clause's, told in the article's words:
        # the speech verb's clause when it holds the term ("an action the Pentagon described as ..."),
        # else the sentence
        start, end = _trimmed(analysis.text, first.start_char, last.end_char)
        if cue is not None and cue.kind == "verb":
            left, right = cue.token.left_edge, cue.token.right_edge
            if left.idx <= quote.start and quote.end <= right.idx + len(right.text) + 1:
                closing = quote.end + 1 if analysis.text[quote.end : quote.end + 1] in _CLOSING_MARKS else quote.end
                start, end = _trimmed(analysis.text, left.idx, right.idx + len(right.text))
                end = max(end, closing)  # the term's closing mark stays with it
        return StatementCandidate(
            start=start,
            end=end,
            text=analysis.text[start:end],
            verbatim=False,
            attribution=attribution,
            context=(first.start_char, last.end_char),
        )
    return StatementCandidate(
        start=quote.start,
        end=quote.end,
        text=quote.text,
        verbatim=True,
        attribution=attribution,
        context=(first.start_char, last.end_char),
    )


def _a_term(analysis: ArticleAnalysis, quote: Quote) -> bool:
    """A quoted term, not words said: a few words that are no clause (no subject of their own), inside
    running words ('condemned the strikes as "acts of aggression"', 'rulers who "disappeared" opponents',
    'was "ready to respond"'); not '"Total victory," the general declared' nor 'said: "No."'."""
    if quote.words >= TERM_WORDS or quote.start < 2:
        return False
    before = analysis.text[: quote.start - 1].rstrip()  # the words before the opening mark
    if not before or not before[-1].isalnum():
        return False
    inside = [t for t in analysis.doc if quote.start <= t.idx < quote.end]
    own = [t for t in inside if t.dep_ in {"nsubj", "nsubjpass", "expl"} and quote.start <= t.head.idx < quote.end]
    return not own  # 'said "a number" of people were held': "a number" is the outer clause's subject


def _nearest_cue(analysis: ArticleAnalysis, quote: Quote) -> Cue | None:
    """The speech cue nearest the quote, in its sentences or the one right after it in its paragraph."""
    first = analysis.sentence_index(quote.start)
    last = analysis.sentence_index(max(quote.end - 1, quote.start))
    paragraph_start, paragraph_end = analysis.paragraph_bounds(quote.start)
    indices = list(range(first, last + 1))
    if last + 1 < len(analysis.sentences) and analysis.sentences[last + 1].start_char < paragraph_end:
        indices.append(last + 1)
    if first > 0 and analysis.sentences[first - 1].start_char >= paragraph_start:
        indices.append(first - 1)
    inside = analysis.token_at(quote.start)
    best: tuple[int, Cue] | None = None
    for i in indices:
        for cue in cues_in(analysis, analysis.sentences[i]):
            if cue.subject is None:
                continue
            distance = quote.start - cue.start if cue.start < quote.start else cue.start - quote.end
            distance += 0 if i in range(first, last + 1) else 200  # same sentence first
            if rule("statement.cue.governing-verb", cue.token in inside.ancestors):
                distance -= 1000  # the verb that governs the quote beats a nearer one
            if best is None or distance < best[0]:
                best = (distance, cue)
    return best[1] if best else None


def _reported_speech(analysis: ArticleAnalysis, attributor: Attributor, sentence: Span) -> list[StatementCandidate]:
    """A sentence whose speech verb takes a clause ("said that ...", "urged X to ...", "according to X")."""
    quoted = sum(len(q.text) for q in analysis.quotes if sentence.start_char <= q.start < sentence.end_char)
    if rule("statement.drop.mostly-quoted", quoted * 2 > len(sentence.text)):
        return []
    out: list[StatementCandidate] = []
    cues = cues_in(analysis, sentence)
    # "X killed 18 people, the agency said, while the military said it had hit militants": the frame
    # ("the agency said") reports the sentence; a speech verb with a clause of its own reports that.
    frames = [
        c
        for c in cues
        if c.kind == "verb"
        and c.token.dep_ == "parataxis"
        and c.token.head.dep_ == "ROOT"
        and rule("statement.reported.frame-first")
    ]
    for cue in frames + [c for c in cues if c not in frames]:
        if cue.kind == "verb" and cue not in frames and not any(c.dep_ in _COMPLEMENT_DEPS for c in cue.token.children):
            continue
        if cue.kind == "statement":
            continue
        attribution = attributor.attribute(cue)
        if attribution is None:
            continue
        if not rule("statement.find.reported-speech"):
            continue
        start, end = _trimmed(analysis.text, sentence.start_char, sentence.end_char)
        if rule("statement.reported.points-back", _points_back(cue) and sentence.start > 0):
            previous = analysis.sentences[analysis.sentence_index(sentence.start_char - 1)]
            start, end = _trimmed(analysis.text, previous.start_char, previous.end_char)  # "This was stated by X"
        elif drop("statement.drop.frame-only", not _says_more(analysis, sentence, cue)):
            break  # "Officials have reported that", "According to army officials, a captain and four"
        out.append(StatementCandidate(start, end, analysis.text[start:end], False, attribution, (start, end)))
        break  # one paraphrase per sentence
    return out


def _says_more(analysis: ArticleAnalysis, sentence: Span, cue: Cue) -> bool:
    """Whether the sentence says something besides its attribution frame: words beyond the cue, its
    speaker and the quote it frames, and not cut off before its end (no final stop, and a last word
    that leads on: "that", "and four", "the")."""
    frame = {cue.token.i, *(t.i for c in cue.token.children if c.dep_ in _FRAME_DEPS for t in c.subtree)}
    words_ = [t for t in sentence if not t.is_punct and not t.is_space]
    said = [
        t
        for t in words_
        if t.i not in frame
        and analysis.quote_at(t.idx) is None
        and t.ent_type_ not in {"DATE", "TIME"}
        and t.pos_ != "ADP"
    ]
    if not said:  # nothing but the frame, or the frame of a quote that is its own statement
        return False
    ended = sentence.text.rstrip()[-1:] in _SENTENCE_ENDS
    return bool(words_) and (ended or words_[-1].pos_ not in _LEADING_ON)


def _points_back(cue: Cue) -> bool:
    return any(c.dep_ == "nsubjpass" and c.lower_ in _POINTING for c in cue.token.children)


def _own_voice(analysis: ArticleAnalysis, sentence: Span, voiced: list[Voiced]) -> list[StatementCandidate] | None:
    """The statements (not quotes) of the voiced paragraph the sentence opens (once), [] for its later sentences,
    None when the sentence is in no voiced paragraph (or in a reporter's turn)."""
    paragraph_start, paragraph_end = analysis.paragraph_bounds(sentence.start_char)
    voice = next((v for v in voiced if paragraph_start <= v.start < paragraph_end), None)
    if voice is None or voice.attribution is None or sentence.end_char <= voice.start:
        return None  # a reporter's turn, a turn's label ("Deputy Spokesman:"), a paragraph no one voices
    note(voice.rules)
    if voice.issuer is not None:  # a press statement, sentence by sentence
        if rule("statement.voice.quotes-another", _quotes_another(analysis, sentence, voice.issuer)):
            return None
        start, end = _trimmed(analysis.text, sentence.start_char, sentence.end_char)
        if end <= start:  # a sentence of quote marks alone says nothing
            return []
        if not rule("statement.find.press-statement"):
            return None
        whole = StatementCandidate(start, end, analysis.text[start:end], False, voice.attribution, (start, end))
        return _split_long(analysis, whole)
    if not rule("statement.find.transcript-turn"):
        return None
    if not (sentence.start_char <= voice.start < sentence.end_char):
        return []
    start, end = _trimmed(analysis.text, voice.start, voice.end)
    # their own words, but not in quotation marks: the schema's "verbatim" is a quote's
    whole = StatementCandidate(start, end, analysis.text[start:end], False, voice.attribution, (start, end))
    return _split_long(analysis, whole)


def _quotes_another(analysis: ArticleAnalysis, sentence: Span, issuer: str) -> bool:
    """Whether a press statement's sentence quotes or reports someone other than its issuer ("'We held
    the line,' said Col. X"), not the issuer itself ("The Armed Forces affirm", "We assure")."""
    if any(sentence.start_char <= q.start < sentence.end_char for q in analysis.quotes):
        return True
    for cue in cues_in(analysis, sentence):
        if cue.subject is None:
            continue
        said_by = analysis.mention(cue.subject).text
        if said_by.lower() not in _ISSUER_WORDS and not has_words(issuer, said_by.removeprefix("The ")):
            return True
    return False


def _tweet(analysis: ArticleAnalysis, sentence: Span, seen: set[int]) -> StatementCandidate | None:
    """The paragraph of a tweet ("@SecPompeo Spoke with ..."), once, as its author's statement."""
    paragraph_start, paragraph_end = analysis.paragraph_bounds(sentence.start_char)
    if paragraph_start in seen:
        return None
    match = _TWEET.match(analysis.text, paragraph_start, paragraph_end)
    if match is None or not analysis.text[match.end() : match.end() + 1].isupper():
        return None  # "@USEmbBaghdad attacks by ...": a handle the sentence mentions, not its author
    if not rule("statement.find.tweet"):
        return None
    seen.add(paragraph_start)
    handle = Mention(
        start=paragraph_start,
        end=match.end(1),
        text=match.group(0).strip(),
        name=analysis.handle_owner(match.group(1)),
        title=None,
        label=None,
        head=match.group(1).lower(),
        pronoun=False,
    )
    start, end = _trimmed(analysis.text, match.end(), paragraph_end)
    # The paragraph may run on into the next line that continues the tweet ("... condemning\n@USEmb...").
    attribution = Attribution(handle, handle, "tweet", paragraph_start, confident=True)
    return StatementCandidate(
        start,
        min(end, start + MAX_STATEMENT_CHARS),
        analysis.text[start:end][:MAX_STATEMENT_CHARS],
        False,
        attribution,
        (paragraph_start, paragraph_end),
    )


def _split_long(analysis: ArticleAnalysis, candidate: StatementCandidate) -> list[StatementCandidate]:
    """A quote longer than the snippet limit, cut at sentence ends (or, failing that, at a space)."""
    text = analysis.text
    ends = [s.end_char for s in analysis.sentences if candidate.start < s.end_char < candidate.end]
    pieces: list[StatementCandidate] = []
    start = candidate.start
    while start < candidate.end:
        limit = start + MAX_STATEMENT_CHARS
        if candidate.end <= limit:
            cut = candidate.end
        elif not rule("statement.split.long"):
            cut = limit
        else:
            inside = [e for e in ends if start < e <= limit]
            space = text.rfind(" ", start + 1, limit)
            cut = inside[-1] if inside else (space if space > start else limit)
        s, e = _trimmed(text, start, cut)
        if e > s:
            pieces.append(
                StatementCandidate(s, e, text[s:e], candidate.verbatim, candidate.attribution, candidate.context)
            )
        start = cut
    return pieces


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "“”\"'‘’"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "“”\"'‘’"):
        end -= 1
    return start, end
