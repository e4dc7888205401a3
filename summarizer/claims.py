"""Does a fact's evidence carry its claim? Checks that weaken evidence, each with its reason.

Finding a snippet in the article (``grounding.py``) proves only that the words exist. A fact is
``grounded`` when its evidence also carries the claim built on it:

- a casualty: its number stands in its own evidence as a whole number (not "200" inside "1,200")
  that counts people (not "150 km", "30 rockets", or "3 suspects" when the victims are civilians),
  and the evidence says the outcome (killed, wounded, ...) and names the victims;
- a verbatim statement: its words lie inside one quoted span of the article, letter case kept, and
  the article attributes them to its speaker (``TextAttribution``, found by the finders);
- an actor: its evidence names it (or an alias of it);
- any fact: its evidence does not stand in a passage that addresses the summarizer.

Lexical checks over the normalized text (no parse): grounding runs on every summary served.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from summarizer.analysis.actors import same_referent
from summarizer.analysis.injection import in_passages, instruction_passages
from summarizer.analysis.lexicon import NOT_PEOPLE, PEOPLE_NOUNS, outcome_pattern, words
from summarizer.analysis.quotes import Quote, find_quotes
from summarizer.extraction import ActorFact, CasualtyFact
from summarizer.grounding import Grounder
from summarizer.record import TextAttribution
from summarizer.schema import Evidence, EvidenceReason, GroundingStatus, QuoteCheck, SpeakerCheck
from summarizer.textfold import fold_characters, fold_words, has_words

_WORD = re.compile(r"[\w'’-]+")
_SKIP_AFTER_NUMBER = words("after-number-filler")
_PHRASE_ENDS = words("victims-phrase-end")
_NAME_STOPWORDS = words("name-stopword")
_GENERIC_PEOPLE = words("generic-person")
_GENERIC_VICTIMS = words("generic-victims")


@dataclass
class ClaimChecker:
    """The claim checks of one article; build once per summary."""

    grounder: Grounder
    attributions: list[TextAttribution] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.grounder.normalized.text

    @cached_property
    def passages(self) -> list[tuple[int, int]]:
        return instruction_passages(self.text)

    @cached_property
    def quotes(self) -> list[Quote]:
        return find_quotes(self.text)

    def passage_check(self, evidence: Evidence) -> Evidence:
        """Nothing that stands in an instruction passage is grounded."""
        span = self.grounder.span_of(evidence)
        if span is None or not in_passages(self.passages, *span):
            return evidence
        # The first reason to name: whatever else is wrong, these words are an instruction, not news.
        weaker = self.grounder.reground(evidence, GroundingStatus.fuzzy, EvidenceReason.instruction_passage)
        return weaker.model_copy(update={"reason": EvidenceReason.instruction_passage})

    # --- casualties -----------------------------------------------------------------------------

    def casualty(self, fact: CasualtyFact, evidence: Evidence) -> tuple[Evidence, Evidence]:
        """The fact's evidence and its count phrase's evidence, each weakened where the claim fails."""
        count = self._count_evidence(fact, evidence)
        span = self.grounder.span_of(evidence)
        if span is not None:
            words = self.text[span[0] : span[1]]
            if not outcome_pattern(fact.outcome).search(words):
                evidence = self.grounder.reground(
                    evidence, GroundingStatus.fuzzy, EvidenceReason.outcome_not_in_evidence
                )
            elif not _names_victims(fact.victims, words):
                evidence = self.grounder.reground(
                    evidence, GroundingStatus.fuzzy, EvidenceReason.victims_not_in_evidence
                )
        return self.passage_check(evidence), self.passage_check(count)

    def _count_evidence(self, fact: CasualtyFact, evidence: Evidence) -> Evidence:
        phrase = fact.count.strip()
        missing = Evidence(text=phrase, status=GroundingStatus.ungrounded, score=0.0, reason=EvidenceReason.not_found)
        if evidence.start is None or evidence.end is None:
            return missing.model_copy(update={"reason": EvidenceReason.number_not_in_evidence})
        window = (evidence.start, evidence.end)
        occurrences = self.grounder.occurrences(phrase, window) or [self.grounder.locate_words(phrase, window=window)]
        found = occurrences[0]
        if found.status is GroundingStatus.ungrounded:
            words = self.text[slice(*(self.grounder.span_of(evidence) or (0, 0)))]
            inside = phrase[:1].isdigit() and re.search(rf"\d[,.]{re.escape(phrase)}|{re.escape(phrase)}[,.]\d", words)
            reason = EvidenceReason.number_inside_number if inside else EvidenceReason.number_not_in_evidence
            return missing.model_copy(update={"reason": reason})
        # "a 30-plus rocket attack ... the death of a U.S. citizen": the occurrence that counts the victims
        counted_words = [self._counted(occurrence) for occurrence in occurrences]
        for occurrence, counted in zip(occurrences, counted_words, strict=True):
            if counted is None or _counts_victims(counted, fact.victims):
                return occurrence
        counted = counted_words[0]
        assert counted is not None
        # "150 km", "30 rockets": no people at all; "3 suspects" for civilians: other people
        status = GroundingStatus.ungrounded if counted in NOT_PEOPLE else GroundingStatus.fuzzy
        return self.grounder.reground(found, status, EvidenceReason.counts_something_else)

    def _counted(self, occurrence: Evidence) -> str | None:
        span = self.grounder.span_of(occurrence)
        return _counted_word(self.text, span[1]) if span is not None else None

    # --- statements -------------------------------------------------------------------------------

    def quote(self, text: str, verbatim: bool, evidence: Evidence) -> tuple[QuoteCheck, Evidence]:
        """Whether words claimed verbatim lie inside one quoted span, with their letter case."""
        if not verbatim:
            return QuoteCheck.paraphrase, evidence
        span = self.grounder.span_of(evidence)
        if evidence.status is GroundingStatus.ungrounded or span is None:
            return QuoteCheck.verbatim_not_found, evidence
        reason: EvidenceReason | None = None
        if evidence.status is not GroundingStatus.grounded:
            reason = evidence.reason
        elif _case_folded(self.text[span[0] : span[1]]) != _case_folded(text.strip()):
            reason = EvidenceReason.case_differs
        else:
            inside = next((q for q in self.quotes if q.start <= span[0] and span[1] <= q.end), None)
            if inside is None:
                crossing = any(q.start <= span[0] < q.end < span[1] for q in self.quotes)
                reason = EvidenceReason.crosses_quote_mark if crossing else EvidenceReason.outside_quote_marks
        if reason is None:
            return QuoteCheck.verbatim_found, evidence
        return QuoteCheck.verbatim_not_found, self.grounder.reground(evidence, GroundingStatus.fuzzy, reason)

    def speaker(self, speaker: str, evidence: Evidence) -> tuple[SpeakerCheck, str | None, Evidence]:
        """Whether the article attributes the statement's words to its speaker."""
        span = self.grounder.span_of(evidence)
        if span is None:
            return SpeakerCheck.unknown, None, evidence
        covering = [a for a in self.attributions if a.start <= span[1] and span[0] <= a.end and a.speaker]
        if not covering:
            return SpeakerCheck.unknown, None, evidence
        best = min(covering, key=lambda a: abs(a.start - span[0]) + abs(a.end - span[1]))
        assert best.speaker is not None
        if any(same_referent(speaker, name) for name in (best.speaker, *best.aliases)):
            return SpeakerCheck.matches, best.speaker, evidence
        weaker = self.grounder.reground(evidence, GroundingStatus.fuzzy, EvidenceReason.speaker_differs)
        return SpeakerCheck.differs, best.speaker, weaker

    # --- actors -----------------------------------------------------------------------------------

    def actor(self, fact: ActorFact, evidence: Evidence) -> Evidence:
        """An actor's evidence must name it, or one of its aliases."""
        names = [fact.name, *fact.aliases]
        span = self.grounder.span_of(evidence)
        where = self.text[span[0] : span[1]] if span is not None else ""
        if span is not None and any(has_words(where, name) for name in names):
            return self.passage_check(evidence)
        if any(has_words(self.text, name) for name in names):
            reason, status = EvidenceReason.name_not_in_evidence, GroundingStatus.fuzzy
        else:
            reason, status = EvidenceReason.name_not_in_article, GroundingStatus.ungrounded
        if evidence.status is GroundingStatus.ungrounded:
            return evidence
        return self.passage_check(self.grounder.reground(evidence, status, reason))


def _case_folded(text: str) -> str:
    """Quotes, dashes and whitespace folded, letter case kept (a verbatim quote keeps its case)."""
    return " ".join(fold_characters(text).split())


def _counted_word(text: str, after: int) -> str | None:
    """The word right after a number that says what it counts ("km", "rockets", "men"): within the
    next few words of its noun phrase, before the sentence or the phrase ends."""
    for seen, match in enumerate(_WORD.finditer(text, after, min(len(text), after + 60))):
        if seen >= 5 or any(ch in ".;:!?,\n" for ch in text[after : match.start()]):
            return None  # the number stands alone ("killing 15.")
        word = match.group(0).lower().strip("'’-")
        if word in _PHRASE_ENDS:
            return None
        if not word or word in _SKIP_AFTER_NUMBER:
            continue
        lemma = _singular(word)
        if lemma in NOT_PEOPLE or lemma in PEOPLE_NOUNS:
            return lemma
    return None


def _singular(word: str) -> str:
    if word.endswith("men"):
        return word[:-3] + "man"
    if word in NOT_PEOPLE or word in PEOPLE_NOUNS:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2] in NOT_PEOPLE | PEOPLE_NOUNS:
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _counts_victims(counted: str, victims: str) -> bool:
    """A number counts the victims when the word after it is a people word the victims' words share,
    or a word for any people ("25 of their men"), or the victims are named generically ("people")."""
    if counted in NOT_PEOPLE:
        return False
    victim_words = {_singular(w) for w in fold_words(victims).split()}
    generic = counted in _GENERIC_PEOPLE or bool(victim_words & _GENERIC_VICTIMS)
    return generic or counted in victim_words or any(w.endswith(counted) for w in victim_words)


def _names_victims(victims: str, evidence: str) -> bool:
    words = [w for w in fold_words(victims).split() if w not in _NAME_STOPWORDS]
    if not words or set(words) <= _GENERIC_VICTIMS:
        return True
    present = {_singular(w) for w in fold_words(evidence).split()}
    return any(_singular(w) in present for w in words)
