"""Score one ``ArticleSummary`` against one gold fact list: pure functions, no I/O.

Each gold fact is matched on its own (an extracted item may satisfy several gold facts), with the
rules of ``matching.py``. Recall is matched gold facts over gold facts. Precision goes the other way,
from the extracted items to the gold, for the two kinds where a wrong item misleads a reader: casualty
figures and who said what (``casualty_precision``, ``attribution_precision``). The grounding figures
look at the summary alone (and the article, for the re-check of grounded evidence).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from summarizer.evaluation.gold import GoldActor, GoldCasualty, GoldEvent, GoldFile, GoldStatement
from summarizer.evaluation.matching import any_name_matches, figure_numbers, number_accepted, text_contains
from summarizer.schema import (
    Action,
    Actor,
    ArticleSummary,
    Casualty,
    Evidence,
    GroundingStatus,
    QuoteCheck,
    Statement,
)
from summarizer.textfold import fold


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactKind(StrEnum):
    actor = "actor"
    event = "event"
    casualty = "casualty"
    statement = "statement"


class FactMatch(_Model):
    """Whether one gold fact was found, by which extracted item, and anything worth knowing."""

    kind: FactKind
    gold: str  # the fact as the gold names it: actor name, event/casualty "what", statement quote
    matched: bool
    by: str | None = None  # the extracted item that matched
    note: str | None = None  # why it did not match, or informative details (location, fallback)


class Ratio(_Model):
    """``hits`` of ``total``; ``share`` is None when there is nothing to count."""

    hits: int
    total: int
    share: float | None

    @classmethod
    def of(cls, hits: int, total: int) -> Ratio:
        return cls(hits=hits, total=total, share=round(hits / total, 4) if total else None)

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio.of(self.hits + other.hits, self.total + other.total)


class Scores(_Model):
    actors: Ratio
    events: Ratio
    casualties: Ratio
    statements: Ratio
    overall: Ratio  # every gold fact pooled
    verbatim_quotes_found: Ratio  # statements claimed verbatim whose quote check found them verbatim
    casualty_numbers_found: Ratio  # casualty figures whose number phrase was found in the article
    grounded_not_in_article: int | None  # evidence marked grounded that its offsets contradict; None: not checked
    # Precision (see ``casualty_precision`` and ``attribution_precision``). None only in reports written
    # before it was measured (report format "1"): never None for a score computed now.
    casualty_precision: Ratio | None = None
    attribution_precision: Ratio | None = None
    # The extended gold's checks (``checks``); None where no gold fact gives them.
    instruments: Ratio | None = None  # gold instruments found on an action of their event
    modality: Ratio | None = None  # matched events whose action tells the gold's modality
    time_frame: Ratio | None = None  # matched events whose action tells the gold's time frame
    dateline: Ratio | None = None  # the gold dateline's place given as the summary's
    not_furniture: Ratio | None = None  # actors and speakers that are none of the gold's not_actors

    def __add__(self, other: Scores) -> Scores:
        checked = [n for n in (self.grounded_not_in_article, other.grounded_not_in_article) if n is not None]
        return Scores(
            actors=self.actors + other.actors,
            events=self.events + other.events,
            casualties=self.casualties + other.casualties,
            statements=self.statements + other.statements,
            overall=self.overall + other.overall,
            verbatim_quotes_found=self.verbatim_quotes_found + other.verbatim_quotes_found,
            casualty_numbers_found=self.casualty_numbers_found + other.casualty_numbers_found,
            grounded_not_in_article=sum(checked) if checked else None,
            casualty_precision=_pool(self.casualty_precision, other.casualty_precision),
            attribution_precision=_pool(self.attribution_precision, other.attribution_precision),
            instruments=_pool(self.instruments, other.instruments),
            modality=_pool(self.modality, other.modality),
            time_frame=_pool(self.time_frame, other.time_frame),
            dateline=_pool(self.dateline, other.dateline),
            not_furniture=_pool(self.not_furniture, other.not_furniture),
        )


def _pool(a: Ratio | None, b: Ratio | None) -> Ratio | None:
    """Hits and totals added; a figure that was not measured (None) adds nothing."""
    if a is None or b is None:
        return b if a is None else a
    return a + b


class ArticleScore(_Model):
    scores: Scores
    matches: list[FactMatch]
    grounding_mismatches: list[str] = []  # snippets of the evidence counted in grounded_not_in_article
    precision_misses: list[str] = []  # the extracted figures and statements counted wrong by the precision figures


# --- one gold fact each -------------------------------------------------------------------------


def match_actor(gold: GoldActor, actors: Sequence[Actor]) -> FactMatch:
    """Matches when a gold spelling (name or alias) matches an extracted actor's name or one of its aliases."""
    for actor in actors:
        if any_name_matches(gold.spellings, [actor.name, *actor.aliases]) is not None:
            return FactMatch(kind=FactKind.actor, gold=gold.name, matched=True, by=actor.name)
    return FactMatch(kind=FactKind.actor, gold=gold.name, matched=False)


def doers(action: Action) -> list[str]:
    """Who an action names as its doer; when it names no one, the weapon it was done with, which is how
    the gold lists write an attack whose attacker goes unnamed ("roadside IED", "unknown")."""
    return action.actors or ([action.instrument] if action.instrument else [])


def event_action(gold: GoldEvent, actions: Sequence[Action]) -> Action | None:
    """The first action that matches both a gold actor and a gold target."""
    return next(
        (
            action
            for action in actions
            if any_name_matches(gold.actor, doers(action)) is not None
            and any_name_matches(gold.target, action.targets) is not None
        ),
        None,
    )


def match_event(gold: GoldEvent, actions: Sequence[Action]) -> FactMatch:
    """Matches when one extracted action matches both a gold actor and a gold target; location is a note."""
    actor_only = target_only = 0
    for action in actions:
        has_actor = any_name_matches(gold.actor, doers(action)) is not None
        has_target = any_name_matches(gold.target, action.targets) is not None
        if has_actor and has_target:
            return FactMatch(
                kind=FactKind.event,
                gold=gold.what,
                matched=True,
                by=_describe_action(action),
                note=_location(gold, action),
            )
        actor_only += has_actor and not has_target
        target_only += has_target and not has_actor
    note = None
    if actor_only or target_only:
        note = f"actor matched alone in {actor_only} action(s), target alone in {target_only}"
    return FactMatch(kind=FactKind.event, gold=gold.what, matched=False, note=note)


def _location(gold: GoldEvent, action: Action) -> str | None:
    if not gold.location:
        return None
    if action.location and any_name_matches(gold.location, [action.location]):
        return "location matched"
    return f"location not matched ({action.location or 'none given'})"


def match_casualty(gold: GoldCasualty, casualties: Sequence[Casualty]) -> FactMatch:
    """Matches when every number the gold fact gives is stated by an extracted figure of that outcome.

    For each number ("killed", "injured") the candidates are the extracted records of that outcome
    whose victims match the gold victims; when no record of that outcome names a matching victim
    group, every record of that outcome is a candidate. See ``number_accepted`` for ranges.
    """
    found: list[str] = []
    notes: list[str] = []
    for outcome, accepted in gold.numbers().items():
        records = [c for c in casualties if c.outcome.value == outcome]
        named = [c for c in records if any_name_matches(gold.victims, [c.victims]) is not None]
        hit = next((c for c in named or records if number_accepted(accepted, c.count.low, c.count.high)), None)
        if hit is None:
            group = "matching victims" if named else "any victims"
            notes.append(f"{outcome} {accepted}: no figure of {group} states it ({len(named or records)} record(s))")
            continue
        found.append(_describe_casualty(hit))
        if not named:
            notes.append(f"{outcome}: victims not matched, figure taken from any {outcome} record")
    matched = len(found) == len(gold.numbers())
    return FactMatch(
        kind=FactKind.casualty,
        gold=gold.what,
        matched=matched,
        by="; ".join(found) if matched else None,
        note="; ".join(notes) or None,
    )


def match_statement(gold: GoldStatement, statements: Sequence[Statement]) -> FactMatch:
    """Matches when one extracted statement has a matching speaker and its text contains the gold phrase."""
    quote_elsewhere: list[str] = []
    speaker_seen = False
    for statement in statements:
        speaker_ok = any_name_matches(gold.speaker, [statement.speaker]) is not None
        quote_ok = text_contains(statement.text, gold.quote_contains)
        if speaker_ok and quote_ok:
            return FactMatch(kind=FactKind.statement, gold=gold.quote_contains, matched=True, by=statement.speaker)
        speaker_seen = speaker_seen or speaker_ok
        if quote_ok:
            quote_elsewhere.append(statement.speaker)
    note: str | None = None
    if quote_elsewhere:
        note = f"quote found but said by {', '.join(quote_elsewhere)}"
    elif speaker_seen:
        note = "speaker matched, quote not found"
    return FactMatch(kind=FactKind.statement, gold=gold.quote_contains, matched=False, note=note)


def _describe_action(action: Action) -> str:
    targets = ", ".join(action.targets) or "-"
    return f"{', '.join(action.actors)} -[{action.type.value}]-> {targets}"


def _describe_casualty(casualty: Casualty) -> str:
    count = casualty.count
    return f"{casualty.victims} {casualty.outcome.value} {count.text!r} ({count.low}..{count.high})"


# --- precision: of what was extracted, how much the gold confirms ----------------------------------

GOLD_OUTCOMES = ("killed", "injured")  # the casualty outcomes a gold file can give


def counted_figures(casualties: Sequence[Casualty]) -> list[Casualty]:
    """The extracted figures casualty precision counts: an outcome the gold covers and at least one number.

    Figures of other outcomes (missing, abducted, arrested) cannot be checked against the gold, and a
    figure without a number ("dozens") cannot be compared with one: both are left out.
    """
    return [c for c in casualties if c.outcome.value in GOLD_OUTCOMES and figure_numbers(c.count.low, c.count.high)]


def figure_in_gold(casualty: Casualty, gold: Sequence[GoldCasualty]) -> bool:
    """Whether some gold casualty fact of the article gives this outcome with a number that accepts the figure.

    ``number_accepted`` decides, as for recall: every bound the figure gives must be accepted ("more
    than 50", low 51, is right against [50, 51] and wrong against 50). Victims are not compared.
    """
    outcome = casualty.outcome.value
    return any(
        (accepted := fact.numbers().get(outcome)) is not None
        and number_accepted(accepted, casualty.count.low, casualty.count.high)
        for fact in gold
    )


def casualty_precision(gold: Sequence[GoldCasualty], casualties: Sequence[Casualty]) -> Ratio:
    """Of the counted extracted figures (``counted_figures``), how many state a gold figure of the article.

    A figure is right when ``figure_in_gold``: its low/high are accepted by some gold casualty fact of
    the same outcome (killed or injured) in the same article, whatever victims either names. Each
    extracted record counts once (a duplicate counts again). In an article whose gold lists no
    casualties every counted figure is wrong. The gold lists the figures a good summary must hold, so
    a true figure the gold leaves out also counts as wrong: read the share as a lower bound.
    """
    counted = counted_figures(casualties)
    return Ratio.of(sum(figure_in_gold(c, gold) for c in counted), len(counted))


def quoted_gold(statement: Statement, gold: Sequence[GoldStatement]) -> list[GoldStatement]:
    """The gold statements whose ``quote_contains`` the extracted statement's text contains (``text_contains``)."""
    return [fact for fact in gold if text_contains(statement.text, fact.quote_contains)]


def attribution_right(statement: Statement, quoted: Sequence[GoldStatement]) -> bool:
    """Whether the statement's speaker matches the speaker list of every gold statement it quotes."""
    return all(any_name_matches(fact.speaker, [statement.speaker]) is not None for fact in quoted)


def attribution_precision(gold: Sequence[GoldStatement], statements: Sequence[Statement]) -> Ratio:
    """Of the extracted statements that quote a gold statement, how many give it to the right speaker.

    Counted: every extracted statement whose text contains the ``quote_contains`` of at least one gold
    statement of the article (statements quoting nothing in the gold cannot be checked, and are left
    out). Right: its speaker matches (``any_name_matches``) the speaker list of *each* gold statement
    it contains, so a statement that runs two speakers' words together is wrong.
    """
    checked = [(s, quoted) for s in statements if (quoted := quoted_gold(s, gold))]
    return Ratio.of(sum(attribution_right(s, quoted) for s, quoted in checked), len(checked))


def precision_misses(gold: GoldFile, summary: ArticleSummary) -> list[str]:
    """One line per extracted item that the precision figures count wrong, for the report."""
    misses = [
        f"casualty {_describe_casualty(c)}: no gold {c.outcome.value} figure accepts it"
        for c in counted_figures(summary.casualties)
        if not figure_in_gold(c, gold.casualties)
    ]
    for statement in summary.statements:
        quoted = quoted_gold(statement, gold.statements)
        if quoted and not attribution_right(statement, quoted):
            wanted = "; ".join(" / ".join(fact.speaker) for fact in quoted)
            misses.append(f"statement by {statement.speaker!r} quotes gold said by {wanted}")
    misses.extend(
        f"{name!r} is page furniture (dateline, byline or header), not an actor"
        for name in furniture_names(gold, summary)
    )
    return misses


# --- the extended gold's checks -------------------------------------------------------------------

# The gold says "alleged" where the schema says "claimed" (by one side's word).
_GOLD_MODALITY = {"alleged": "claimed"}


def _ratio_or_none(hits: int, total: int) -> Ratio | None:
    return Ratio.of(hits, total) if total else None


def instruments_found(gold: Sequence[GoldEvent], actions: Sequence[Action]) -> Ratio | None:
    """Gold events with an instrument whose instrument an action of theirs gives (an action of the event:
    one that matches its actor or its target, since an attack's doer may go unnamed)."""
    told = [fact for fact in gold if fact.instrument]
    hits = 0
    for fact in told:
        ours = [
            a
            for a in actions
            if any_name_matches(fact.actor, doers(a)) is not None
            or any_name_matches(fact.target, a.targets) is not None
        ]
        hits += any(a.instrument and any_name_matches(fact.instrument, [a.instrument]) for a in ours)
    return _ratio_or_none(hits, len(told))


def modality_right(gold: Sequence[GoldEvent], actions: Sequence[Action]) -> Ratio | None:
    """Of the matched gold events that give a modality, those whose action tells it."""
    pairs = [(fact, action) for fact in gold if fact.modality and (action := event_action(fact, actions))]
    right = sum(
        action.modality.value == _GOLD_MODALITY.get(str(fact.modality), fact.modality) for fact, action in pairs
    )
    return _ratio_or_none(right, len(pairs))


def time_frame_right(gold: Sequence[GoldEvent], actions: Sequence[Action]) -> Ratio | None:
    """Of the matched gold events that give a time frame, those whose action tells it (an action that
    says nothing reads as the day's event)."""
    pairs = [(fact, action) for fact in gold if fact.time_frame and (action := event_action(fact, actions))]
    right = sum(
        (action.time_frame.value if action.time_frame else "current") == fact.time_frame for fact, action in pairs
    )
    return _ratio_or_none(right, len(pairs))


def dateline_right(gold: GoldFile, summary: ArticleSummary) -> Ratio | None:
    if gold.dateline is None:
        return None
    place = summary.dateline.place if summary.dateline is not None else None
    return Ratio.of(int(place is not None and any_name_matches([gold.dateline.place], [place]) is not None), 1)


def furniture_names(gold: GoldFile, summary: ArticleSummary) -> list[str]:
    """The actors, action actors and speakers of the summary that name a line of page furniture."""
    if not gold.not_actors:
        return []
    names = [
        *(a.name for a in summary.actors),
        *(name for action in summary.actions for name in action.actors),
        *(s.speaker for s in summary.statements if s.speaker),
    ]
    return [name for name in names if any_name_matches(gold.not_actors, [name]) is not None]


def not_furniture(gold: GoldFile, summary: ArticleSummary) -> Ratio | None:
    if not gold.not_actors:
        return None
    total = (
        len(summary.actors)
        + sum(len(a.actors) for a in summary.actions)
        + sum(1 for s in summary.statements if s.speaker)
    )
    return Ratio.of(total - len(furniture_names(gold, summary)), total)


# --- grounding figures --------------------------------------------------------------------------


def verbatim_quotes_found(statements: Sequence[Statement]) -> Ratio:
    """Of the statements the model claimed verbatim, how many the quote check found verbatim."""
    claimed = [s for s in statements if s.quote_check is not QuoteCheck.paraphrase]
    return Ratio.of(sum(s.quote_check is QuoteCheck.verbatim_found for s in claimed), len(claimed))


def casualty_numbers_found(casualties: Sequence[Casualty]) -> Ratio:
    """Of the casualty figures, how many number phrases were found in the article (grounded or fuzzy)."""
    return Ratio.of(sum(c.count.evidence.status is not GroundingStatus.ungrounded for c in casualties), len(casualties))


def all_evidence(summary: ArticleSummary) -> list[Evidence]:
    """Every evidence snippet of the summary (the same set ``GroundingReport`` counts)."""
    return [
        *(a.evidence for a in summary.actors),
        *(a.evidence for a in summary.actions),
        *(c.evidence for c in summary.casualties),
        *(c.count.evidence for c in summary.casualties),
        *(s.evidence for s in summary.statements),
    ]


def _comparable(text: str) -> str:
    """Folded as the grounder folds (``textfold.fold``), whitespace dropped: the differences ``grounded`` tolerates."""
    return fold(text).replace(" ", "")


def evidence_in_article(evidence: Evidence, article: str) -> bool:
    """Whether the article's text at ``[start, end)`` is the snippet, up to whitespace, quotes, dashes and case."""
    start, end = evidence.start, evidence.end
    if start is None or end is None or not 0 <= start <= end <= len(article):
        return False
    return _comparable(article[start:end]) == _comparable(evidence.text)


def grounded_not_in_article(summary: ArticleSummary, article: str) -> list[Evidence]:
    """Evidence marked ``grounded`` whose offsets do not point at its snippet: a grounder inconsistency."""
    return [
        e for e in all_evidence(summary) if e.status is GroundingStatus.grounded and not evidence_in_article(e, article)
    ]


# --- one article --------------------------------------------------------------------------------


def match_all(gold: GoldFile, summary: ArticleSummary | None) -> list[FactMatch]:
    """Every gold fact, matched against the summary (all unmatched when there is no summary)."""
    if summary is None:
        return [FactMatch(kind=kind, gold=label, matched=False, note="no summary") for kind, label in _labels(gold)]
    return [
        *(match_actor(fact, summary.actors) for fact in gold.actors),
        *(match_event(fact, summary.actions) for fact in gold.events),
        *(match_casualty(fact, summary.casualties) for fact in gold.casualties),
        *(match_statement(fact, summary.statements) for fact in gold.statements),
    ]


def _labels(gold: GoldFile) -> list[tuple[FactKind, str]]:
    return [
        *((FactKind.actor, fact.name) for fact in gold.actors),
        *((FactKind.event, fact.what) for fact in gold.events),
        *((FactKind.casualty, fact.what) for fact in gold.casualties),
        *((FactKind.statement, fact.quote_contains) for fact in gold.statements),
    ]


def recall(matches: Sequence[FactMatch], kind: FactKind | None = None) -> Ratio:
    """Matched over all gold facts of ``kind`` (all kinds when None)."""
    chosen = [m for m in matches if kind is None or m.kind is kind]
    return Ratio.of(sum(m.matched for m in chosen), len(chosen))


def score_article(gold: GoldFile, summary: ArticleSummary | None, article: str | None = None) -> ArticleScore:
    """Score one summary against its gold facts; with no summary (a failed article) every fact is missed.

    ``article`` is the text the summary was made from; without it the grounded-evidence re-check is skipped.
    Precision counts extracted items only, so an article without a summary adds 0/0 to it.
    """
    matches = match_all(gold, summary)
    mismatches = grounded_not_in_article(summary, article) if summary is not None and article is not None else []
    scores = Scores(
        actors=recall(matches, FactKind.actor),
        events=recall(matches, FactKind.event),
        casualties=recall(matches, FactKind.casualty),
        statements=recall(matches, FactKind.statement),
        overall=recall(matches),
        verbatim_quotes_found=verbatim_quotes_found(summary.statements if summary else []),
        casualty_numbers_found=casualty_numbers_found(summary.casualties if summary else []),
        grounded_not_in_article=len(mismatches) if summary is not None and article is not None else None,
        casualty_precision=casualty_precision(gold.casualties, summary.casualties if summary else []),
        attribution_precision=attribution_precision(gold.statements, summary.statements if summary else []),
        instruments=instruments_found(gold.events, summary.actions if summary else []),
        modality=modality_right(gold.events, summary.actions) if summary else None,
        time_frame=time_frame_right(gold.events, summary.actions) if summary else None,
        dateline=dateline_right(gold, summary) if summary else None,
        not_furniture=not_furniture(gold, summary) if summary else None,
    )
    return ArticleScore(
        scores=scores,
        matches=matches,
        grounding_mismatches=[e.text for e in mismatches],
        precision_misses=precision_misses(gold, summary) if summary is not None else [],
    )
