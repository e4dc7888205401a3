"""Every finder over one article, in the order they depend on each other.

Statements go first (they teach the attributor who spoke, which "He said" and "the note" need),
then casualty figures (a figure inside a statement is reported by its speaker), then actions, then
the actors that all of them name (a figure's reporter is already one: the speaker of its statement or
of its sentence's speech cue). Nothing is taken from a passage that addresses the summarizer
(``injection.py``): its figures and quotes are instructions, not reports by whoever they name.

Every candidate keeps the ids of the rules that found and shaped it (``summarizer/rules``); the
candidates found and then dropped are kept with the rule that dropped them (``Candidates.dropped``).
What the finders find depends on the rule files and on the finders' code, and on nothing else: their
version in the cache key (``finders_version``) is the hash of both, never a number bumped by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from summarizer.analysis.actors import ActorBook, actor_like, instrument_like
from summarizer.analysis.attribution import Attributor, can_speak, cues_in
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.events import EventCandidate, find_events
from summarizer.analysis.figures import FigureCandidate, find_figures
from summarizer.analysis.injection import in_passages, instruction_passages
from summarizer.analysis.lexicon import names_where
from summarizer.analysis.nlp import pipeline_version
from summarizer.analysis.phrases import Mention
from summarizer.analysis.statements import StatementCandidate, find_statements
from summarizer.analysis.traces import Dropped
from summarizer.cache import content_hash
from summarizer.fingerprint import files_sha256, sources
from summarizer.record import TextAttribution
from summarizer.rules.engine import collect, rule
from summarizer.rules.loader import rules_sha256

# What may change what the finders find: the rule files, and the code that reads and applies them.
_FINDER_FILES = ("analysis", "rules", "counts.py", "textfold.py", "normalize.py", "strategies/candidates.py")


@dataclass
class Candidates:
    analysis: ArticleAnalysis
    attributor: Attributor
    statements: list[StatementCandidate]
    figures: list[FigureCandidate]
    reporters: dict[int, Mention]  # figure start -> who reports it, when the text says
    events: list[EventCandidate]
    actors: ActorBook
    passages: list[tuple[int, int]]  # instruction passages: left out of every list above
    reporter_rules: dict[int, tuple[str, ...]] = field(default_factory=dict)  # figure start -> rules
    dropped: list[Dropped] = field(default_factory=list)  # found, then dropped by a rule

    def attributions(self) -> list[TextAttribution]:
        """Who the text says spoke each quote and sentence of reported speech (for grounding)."""
        found = []
        for statement in self.statements:
            attribution = statement.attribution
            # A guess ("they" said) is no attribution to hold a statement's speaker against.
            speaker = attribution.speaker if attribution is not None and attribution.confident else None
            record = self.actors.find(speaker.name) if speaker is not None else None
            found.append(
                TextAttribution(
                    start=statement.start,
                    end=statement.end,
                    speaker=record.name if record is not None else (speaker.name if speaker else None),
                    aliases=record.aliases[:8] if record is not None else [],
                )
            )
        return found


@cache
def finders_version() -> str:
    """The hash of the rule files and of the finders' code: what the finders find changes with either."""
    return content_hash({"code": files_sha256(sources(*_FINDER_FILES)), "rules": rules_sha256()})[:16]


def analysis_key() -> dict[str, str]:
    """What changes what the finders find, for the cache key of any strategy that keeps their results."""
    return {"analysis": pipeline_version(), "finders": finders_version()}


def find_candidates(text: str) -> Candidates:
    analysis = ArticleAnalysis.of(text)
    passages = instruction_passages(text)
    attributor = Attributor(analysis)
    dropped: list[Dropped] = []
    statements = [s for s in find_statements(analysis, attributor, dropped) if not _instructed(passages, s.context)]
    figures = [f for f in find_figures(analysis, dropped) if not _instructed(passages, f.sentence)]
    reporters: dict[int, Mention] = {}
    reporter_rules: dict[int, tuple[str, ...]] = {}
    for figure in figures:
        with collect() as trace:
            who = reporter_of(analysis, attributor, statements, figure.start)
        if who is not None:
            reporters[figure.start] = who
            reporter_rules[figure.start] = trace.ids()
    events = [e for e in find_events(analysis, attributor, dropped) if not _instructed(passages, e.sentence)]
    actors = ActorBook(analysis, skip=passages)
    for statement in statements:
        if statement.attribution is not None:
            speaker = statement.attribution.speaker
            actors.add(
                speaker.name,
                label=speaker.label,
                title=speaker.title,
                at=speaker.start,
                weight=3,
                because="actor.find.speaker",
            )
    for event in events:
        for name in (*event.actors, *event.targets):
            # "its ability" is a misreading, a "Roadside IED" what it was done with, a base a target only
            if not actor_like(name) or instrument_like(name):
                continue
            if name not in event.actors and rule("actor.drop.site-target", names_where(name)):
                continue
            actors.add(name, at=event.start, weight=2, because="actor.find.participant")
    for figure in figures:
        if figure.victims:
            actors.add(figure.victims, at=figure.start, weight=1, because="actor.find.victims")
    actors.add_entities()
    return Candidates(
        analysis, attributor, statements, figures, reporters, events, actors, passages, reporter_rules, dropped
    )


def _instructed(passages: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return in_passages(passages, span[0], span[1])


def reporter_of(
    analysis: ArticleAnalysis, attributor: Attributor, statements: list[StatementCandidate], position: int
) -> Mention | None:
    """Who reports what stands at ``position``: the speaker of a statement around it, else the speech
    cue of its sentence ("..., Tass reported"; "according to the Observatory")."""
    for statement in statements:
        inside = statement.start <= position < statement.end and statement.attribution is not None
        if rule("figure.reporter.statement-speaker", inside):
            assert statement.attribution is not None
            return statement.attribution.speaker
    sentence = analysis.sentence_at(position)
    for cue in cues_in(analysis, sentence):
        if cue.subject is None:
            continue
        written = analysis.mention(cue.subject)
        speaker, _ = attributor.resolve(written, cue.start)
        if rule(
            "figure.reporter.speech-cue",
            speaker is not None
            and not speaker.pronoun
            and can_speak(speaker, cue.subject if speaker is written else None),
        ):
            return speaker
    return None
