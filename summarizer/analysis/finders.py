"""Every finder over one article, in the order they depend on each other.

Statements go first (they teach the attributor who spoke, which "He said" and "the note" need),
then casualty figures (a figure inside a statement is reported by its speaker), then actions, then
the actors that all of them name. Nothing is taken from a passage that addresses the summarizer
(``injection.py``): its figures and quotes are instructions, not reports by whoever they name.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.analysis.actors import ActorBook, actor_like
from summarizer.analysis.attribution import Attributor, can_speak, cues_in
from summarizer.analysis.document import ArticleAnalysis
from summarizer.analysis.events import EventCandidate, find_events
from summarizer.analysis.figures import FigureCandidate, find_figures
from summarizer.analysis.injection import in_passages, instruction_passages
from summarizer.analysis.nlp import pipeline_version
from summarizer.analysis.phrases import Mention
from summarizer.analysis.statements import StatementCandidate, find_statements
from summarizer.record import TextAttribution

# Bump when a finder changes what it finds: it is part of the cache key of the candidates strategy.
FINDERS_VERSION = "33"


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


def analysis_key() -> dict[str, str]:
    """What changes what the finders find, for the cache key of any strategy that keeps their results."""
    return {"analysis": pipeline_version(), "finders": FINDERS_VERSION}


def find_candidates(text: str) -> Candidates:
    analysis = ArticleAnalysis.of(text)
    passages = instruction_passages(text)
    attributor = Attributor(analysis)
    statements = [s for s in find_statements(analysis, attributor) if not _instructed(passages, s.context)]
    figures = [f for f in find_figures(analysis) if not _instructed(passages, f.sentence)]
    reporters = {f.start: who for f in figures if (who := reporter_of(analysis, attributor, statements, f.start))}
    events = [e for e in find_events(analysis, attributor) if not _instructed(passages, e.sentence)]
    actors = ActorBook(analysis, skip=passages)
    for statement in statements:
        if statement.attribution is not None:
            speaker = statement.attribution.speaker
            actors.add(speaker.name, label=speaker.label, title=speaker.title, at=speaker.start, weight=3)
    for event in events:
        for name in (*event.actors, *event.targets):
            if actor_like(name):  # a base or "its ability" is a target or a misreading, not an actor
                actors.add(name, at=event.start, weight=2)
    for figure in figures:
        if figure.victims:
            actors.add(figure.victims, at=figure.start, weight=1)
    for reporter in reporters.values():
        actors.add(reporter.name, label=reporter.label, title=reporter.title, at=reporter.start, weight=1)
    actors.add_entities()
    return Candidates(analysis, attributor, statements, figures, reporters, events, actors, passages)


def _instructed(passages: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return in_passages(passages, span[0], span[1])


def reporter_of(
    analysis: ArticleAnalysis, attributor: Attributor, statements: list[StatementCandidate], position: int
) -> Mention | None:
    """Who reports what stands at ``position``: the speaker of a statement around it, else the speech
    cue of its sentence ("..., Tass reported"; "according to the Observatory")."""
    for statement in statements:
        if statement.start <= position < statement.end and statement.attribution is not None:
            return statement.attribution.speaker
    sentence = analysis.sentence_at(position)
    for cue in cues_in(analysis, sentence):
        if cue.subject is None:
            continue
        written = analysis.mention(cue.subject)
        speaker, _ = attributor.resolve(written, cue.start)
        if (
            speaker is not None
            and not speaker.pronoun
            and can_speak(speaker, cue.subject if speaker is written else None)
        ):
            return speaker
    return None
