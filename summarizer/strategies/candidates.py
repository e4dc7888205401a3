"""The "candidates" strategy: code finds the facts, the model answers one small question each.

1. ``summarizer.analysis`` parses the article and finds candidate statements, casualty figures,
   actions and actors, copying their words from the text (so quotes are verbatim by construction).
2. Where code is unsure, the model gets one small question, the article first (llama.cpp reuses
   that prefix) and a closed list of options the text gives (``questions.py``).
3. Code assembles the ``Extraction``: canonical actor names, duplicates merged, lists bounded.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

from summarizer.analysis.actors import actor_like, instrument_like
from summarizer.analysis.circumstances import home_place
from summarizer.analysis.finders import Candidates, analysis_key, find_candidates
from summarizer.analysis.lexicon import WEAPON_NOUNS, names_a_country, words
from summarizer.analysis.modality import figure_modality
from summarizer.analysis.statements import StatementCandidate
from summarizer.analysis.timeframe import latest_year, when
from summarizer.analysis.traces import Dropped
from summarizer.call_progress import current
from summarizer.counts import parse_count
from summarizer.errors import ExtractionError, PromptError
from summarizer.extraction import (
    ActionFact,
    ActionType,
    ActorFact,
    ActorKind,
    CasualtyFact,
    Extraction,
    Outcome,
    StatementFact,
    TimeFrame,
    list_bound,
)
from summarizer.llm import LLMClient
from summarizer.prompts import Prompt
from summarizer.record import ExtractionRun
from summarizer.rules.engine import collect, drop, rule
from summarizer.schema import Usage
from summarizer.strategies import ArticleJob
from summarizer.strategies.questions import Ask, SummaryAnswer, choice_model, options_of
from summarizer.strategies.recall import Passage, RecallAnswer, Recalled, recalled, uncovered_passages
from summarizer.summary_text import clip_at_word, first_sentences
from summarizer.textfold import fold_words

log = logging.getLogger(__name__)

# The question kinds this strategy knows; a prompt version asks those it declares ("summary" always).
QUESTION_KINDS = ("speaker", "roles", "recall", "summary")
MAX_ROLE_QUESTIONS = 4
# Verbs that tell a toll ("were killed", "were wounded"): with no doer and no weapon, the figure tells it.
_TOLL_WORDS = words("toll-verb")
MAX_SNIPPET = 400
MAX_NAME = 120


@dataclass
class _StatementDraft:
    candidate: StatementCandidate
    speaker: str | None
    title: str | None
    named_by_model: bool = False  # the model chose the speaker (rule ``model.speaker``)


@dataclass
class _EventDraft:
    index: int
    actors: list[str]
    targets: list[str]
    roles_by_model: bool = False  # the model chose an actor or a target (rule ``model.roles``)


@dataclass
class _FigureDraft:
    index: int
    outcome: Outcome
    victims: str
    reported_by: str | None


@dataclass
class _Draft:
    statements: list[_StatementDraft] = field(default_factory=list)
    events: list[_EventDraft] = field(default_factory=list)
    figures: list[_FigureDraft] = field(default_factory=list)
    recalled: list[Recalled] = field(default_factory=list)  # the recall net's checked answers
    summary: str = ""


class CandidatesStrategy:
    name = "candidates"

    def __init__(self, llm: LLMClient):
        self.llm = llm

    def key_material(self) -> dict[str, Any]:
        return {"strategy": self.name, **analysis_key()}

    def extract(self, job: ArticleJob) -> ExtractionRun:
        found = find_candidates(job.text)
        draft = _draft(found)
        usage, attempts, latency_ms = Usage(), 0, 0.0
        asks = plan(found, draft, asked=set(job.prompt.meta.questions))
        progress = current()
        progress.plan(len(asks))
        for ask in asks:
            question = job.prompt.question(ask.kind, **ask.variables)
            spec = job.prompt.meta.questions[ask.kind]
            params = job.prompt.meta.params.model_copy(update={"max_tokens": spec.max_tokens})
            messages = job.prompt.render(article=job.text, title=job.title, question=question)
            started = time.perf_counter()
            try:
                result = self.llm.call(ask.answer_model, messages, params, cache_key=job.cache_key)
            except ExtractionError as exc:  # one unusable answer: code's own answer stands
                log.warning("question %s: %s; keeping what code found", ask.kind, exc)
                attempts += exc.attempts or 0
                continue
            finally:  # a failed question took its time too
                latency_ms += (time.perf_counter() - started) * 1000
                progress.returned()
            usage += result.usage
            attempts += result.attempts
            ask.apply(result.value)
        extraction = compose(found, draft)
        return ExtractionRun(
            extraction=extraction,
            attributions=found.attributions(),
            usage=usage,
            attempts=attempts,
            llm_latency_ms=round(latency_ms, 1),
        )


def code_extraction(found: Candidates) -> Extraction:
    """The extraction code gives on its own, no question asked: what ``explain --no-model``, ``rules stats``
    and the sentence corpus read."""
    return compose(found, _draft(found))


def check_questions(prompt: Prompt) -> None:
    unknown = sorted(set(prompt.meta.questions) - set(QUESTION_KINDS))
    if unknown or "summary" not in prompt.meta.questions:
        problem = f"unknown question(s) {', '.join(unknown)}" if unknown else "no summary question"
        raise PromptError(
            f"prompt {prompt.name}/{prompt.version} uses the candidates strategy but has {problem} "
            f"(known: {', '.join(QUESTION_KINDS)})",
            name=prompt.name,
            version=prompt.version,
        )
    if "question" not in prompt.meta.variables or "article" not in prompt.meta.variables:
        raise PromptError(
            f"prompt {prompt.name}/{prompt.version}: the candidates strategy needs the variables article and question",
            name=prompt.name,
            version=prompt.version,
        )


# --- what code decides ------------------------------------------------------------------------


def _draft(found: Candidates) -> _Draft:
    book = found.actors
    draft = _Draft()
    for statement in found.statements:
        attribution = statement.attribution
        if attribution is not None and attribution.confident:
            draft.statements.append(
                _StatementDraft(statement, book.canonical(attribution.speaker.name), attribution.speaker.title)
            )
        else:
            draft.statements.append(_StatementDraft(statement, None, None))
    for index, event in enumerate(found.events):
        draft.events.append(
            _EventDraft(  # two spellings of one actor ("Rapid Support Forces", "RSF") are one name
                index,
                list(dict.fromkeys(book.canonical(a) for a in event.actors)),
                list(dict.fromkeys(book.canonical(t) for t in event.targets)),
            )
        )
    for index, figure in enumerate(found.figures):
        reporter = found.reporters.get(figure.start)
        draft.figures.append(
            _FigureDraft(index, figure.outcome, figure.victims, book.canonical(reporter.name) if reporter else None)
        )
    return draft


def plan(found: Candidates, draft: _Draft, *, asked: set[str]) -> list[Ask]:
    """The questions of the ``asked`` kinds that code cannot settle, in text order (the article prefix
    stays warm), then the summary."""
    asks: list[tuple[int, Ask]] = []
    text = found.analysis.text
    for statement in draft.statements:
        if statement.speaker is not None or "speaker" not in asked:
            continue
        options = _speaker_options(found, statement.candidate)
        if len(options) < 1:
            continue
        asks.append((statement.candidate.start, _speaker_ask(text, statement, options)))
    role_asks: list[tuple[int, Ask]] = []
    for event_draft in draft.events:
        event = found.events[event_draft.index]
        if (event_draft.actors and event_draft.targets) or "roles" not in asked:
            continue
        options = options_of([found.actors.canonical(o) for o in (*event.actors, *event.targets, *event.options)])
        if len(options) < 2:
            continue
        role_asks.append((event.start, _roles_ask(text, event_draft, event.sentence, event.trigger, options)))
    asks.extend(role_asks[:MAX_ROLE_QUESTIONS])
    if "recall" in asked:
        asks.extend((passage.start, _recall_ask(found, draft, passage)) for passage in uncovered_passages(found))
    asks.sort(key=lambda pair: pair[0])
    ordered = [ask for _, ask in asks]
    ordered.append(Ask("summary", {}, SummaryAnswer, lambda answer: setattr(draft, "summary", answer.summary)))
    return ordered


def _speaker_options(found: Candidates, statement: StatementCandidate) -> tuple[str, ...]:
    names: list[str] = []
    if statement.attribution is not None:
        names.append(found.actors.canonical(statement.attribution.speaker.name))
    for mention in found.analysis.mentions_before(statement.start):
        if mention.pronoun or not (mention.is_person or mention.label in {"ORG", "GPE", "NORP"}):
            continue
        names.append(found.actors.canonical(mention.name))
    return options_of(names)


def _speaker_ask(text: str, draft: _StatementDraft, options: tuple[str, ...]) -> Ask:
    candidate = draft.candidate

    def apply(answer: Any) -> None:
        draft.speaker = answer.who
        draft.named_by_model = True

    return Ask(
        "speaker",
        {"passage": _clip(text[candidate.start : candidate.end], 300), "options": list(options)},
        choice_model("Speaker", ("who",), options),
        apply,
    )


def _roles_ask(text: str, draft: _EventDraft, sentence: tuple[int, int], trigger: str, options: tuple[str, ...]) -> Ask:
    def apply(answer: Any) -> None:
        if fold_words(answer.by) == fold_words(answer.to):
            return  # no reading of the sentence at all
        if not draft.actors and answer.by not in draft.targets:
            draft.actors = [answer.by]
            draft.roles_by_model = True
        if not draft.targets and answer.to not in draft.actors:
            draft.targets = [answer.to]
            draft.roles_by_model = True

    return Ask(
        "roles",
        {"sentence": _clip(text[sentence[0] : sentence[1]], 400), "trigger": trigger, "options": list(options)},
        choice_model("Roles", ("by", "to"), options),
        apply,
    )


def _recall_ask(found: Candidates, draft: _Draft, passage: Passage) -> Ask:
    def apply(answer: Any) -> None:
        told = recalled(found, passage, answer)
        if told is not None:
            draft.recalled.append(told)

    return Ask("recall", {"passage": passage.text}, RecallAnswer, apply)


def _weapon_alone(name: str) -> bool:
    """A weapon whose words name no country or people ("Roadside IED kills ...", capitalised as a headline
    is): it names no doer; "Russian missiles" and "Turkish jets" name the state whose forces fired them."""
    words_ = name.split()
    return (
        bool(words_)
        and fold_words(words_[-1]).rstrip("s") in WEAPON_NOUNS
        and not any(names_a_country(w) for w in words_[:-1])
    )


# --- the extraction ---------------------------------------------------------------------------


def compose(found: Candidates, draft: _Draft) -> Extraction:
    """The extraction from what code found and the model answered; every fact keeps its rules, and what is
    left out here is kept in ``found.dropped`` with the rule that left it out."""
    text = found.analysis.text
    actions: list[ActionFact] = []
    seen_actions: set[tuple[str, ...]] = set()
    reference_year = latest_year(found.analysis.doc)
    home = home_place(text)
    for event_draft in sorted(draft.events, key=lambda d: not (d.actors and d.targets)):
        event = found.events[event_draft.index]
        rules = [*event.rules, *(["model.roles"] if event_draft.roles_by_model else [])]
        span = (event.start, event.end)
        # "a missile struck an energy facility": the weapon is what it was done with, by someone the
        # article does not name; "a convoy was ambushed near Kandahar" names no one either, and is an
        # action all the same; "its ability to attack" is none
        doers, instrument = event_draft.actors, event.instrument
        named = any(actor_like(a) and not _weapon_alone(a) for a in doers)
        weapons = [a for a in doers if instrument_like(a)] if not named else []
        if weapons and rule("compose.action.weapon-as-instrument"):
            doers, instrument = [], instrument or weapons[0]
            rules.append("compose.action.weapon-as-instrument")
        done_to = (
            bool(event_draft.targets) or (event.sited and instrument is not None) or event.placed_act or event.exploded
        )
        # "six civilians were killed": the figure tells it; "were killed in Kabul": an act at a place too
        toll = not named and not instrument and event.lemma in _TOLL_WORDS
        toll = toll and not (event.sited and event_draft.targets)  # whom, at a place the parse ties to it
        if _left_out(found, "compose.drop.toll-not-action", toll, "action", span, event.trigger, rules):
            continue
        if not named and not rule("compose.action.unnamed-actor", done_to):
            _left_out(found, "compose.drop.unnamed-actor", True, "action", span, event.trigger, rules)
            continue
        if not named:
            doers = []
            rules.append("compose.action.unnamed-actor")
        key = _action_key(event.type, doers, event_draft.targets, event.location, instrument)
        if _left_out(found, "compose.drop.same-action", key in seen_actions, "action", span, event.trigger, rules):
            continue
        seen_actions.add(key)
        with collect() as timing:
            told = when(found.analysis.doc, event.sentence, reference_year, found.analysis.token_at(event.start))
        rules.extend(timing.ids())
        location = event.location
        at_home = home is not None and location is None and event.start > home[1] and told.frame is TimeFrame.current
        if at_home and rule("compose.action.dateline-place"):
            assert home is not None
            location = home[0]  # the day's act the sentence places nowhere, in the place the dateline and lede name
            rules.append("compose.action.dateline-place")
        actions.append(
            ActionFact(
                actors=[_short(a) for a in doers[:4]],
                type=event.type,
                targets=[_short(t) for t in event_draft.targets[:4]],
                location=_short(location) if location else None,
                instrument=_short(instrument) if instrument else None,
                time_frame=told.frame,
                date=told.date,
                time=_short(event.time) if event.time else None,
                modality=event.modality,
                evidence=_around(text, event.sentence, event.start),
                rules=rules,
            )
        )
    for recall in draft.recalled:
        doers, targets = list(recall.actors), list(recall.targets)
        key = _action_key(recall.type, doers, targets, recall.location, None)
        toll = not doers and recall.lemma in _TOLL_WORDS  # "six were killed": the figure tells it
        if key in seen_actions or toll or not (doers or targets or recall.location) or not rule("model.recall"):
            continue  # the same action, a toll, or one that names no one and nowhere
        seen_actions.add(key)
        with collect() as timing:
            recall_when = when(found.analysis.doc, recall.sentence, reference_year)
        actions.append(
            ActionFact(
                actors=[_short(a) for a in doers],
                type=recall.type,
                targets=[_short(t) for t in targets],
                location=_short(recall.location) if recall.location else None,
                time_frame=recall_when.frame,
                date=recall_when.date,
                evidence=_around(text, recall.sentence, recall.start),
                rules=["model.recall", *timing.ids()],
            )
        )
    actions = sorted(_bounded(found, actions, "actions"), key=lambda a: text.find(a.evidence))
    casualties: list[CasualtyFact] = []
    seen_figures: set[tuple[object, ...]] = set()
    for figure_draft in draft.figures:
        figure = found.figures[figure_draft.index]
        rules = [*figure.rules, *found.reporter_rules.get(figure.start, ())]
        victims = figure_draft.victims or "people"
        figure_key = (figure_draft.outcome, parse_count(figure.phrase), _head(victims), figure_draft.reported_by)
        span = (figure.start, figure.end)
        if _left_out(
            found, "compose.drop.same-figure", figure_key in seen_figures, "figure", span, figure.phrase, rules
        ):
            continue
        seen_figures.add(figure_key)
        with collect() as timing:
            told = when(found.analysis.doc, figure.sentence, reference_year)
            figure_mode = figure_modality(found.analysis.token_at(figure.start))
        rules.extend(timing.ids())
        casualties.append(
            CasualtyFact(
                victims=_short(victims),
                outcome=figure_draft.outcome,
                count=_short(figure.phrase),
                event=_short(figure.event) if figure.event else None,
                reported_by=_short(figure_draft.reported_by) if figure_draft.reported_by else None,
                evidence=_around(text, figure.sentence, figure.start),
                rules=rules,
                modality=figure_mode,
                time_frame=told.frame,
                date=told.date,
            )
        )
    statements: list[StatementFact] = []
    seen_statements: set[tuple[str, str]] = set()
    for statement_draft in draft.statements:
        candidate = statement_draft.candidate
        rules = [*candidate.rules, *(["model.speaker"] if statement_draft.named_by_model else [])]
        span = (candidate.start, candidate.end)
        speaker = statement_draft.speaker
        no_speaker = _left_out(
            found, "compose.drop.no-speaker", speaker is None, "statement", span, candidate.text, rules
        )
        if no_speaker or speaker is None:  # the rule cannot be switched off: the schema wants a speaker
            continue
        if not candidate.text.strip():  # no words: never a statement, and never the article's failure
            continue
        key = (fold_words(speaker), fold_words(candidate.text))
        if _left_out(
            found, "compose.drop.same-statement", key in seen_statements, "statement", span, candidate.text, rules
        ):
            continue
        seen_statements.add(key)
        statements.append(
            StatementFact(
                speaker=_short(speaker),
                speaker_title=_short(statement_draft.title) if statement_draft.title else None,
                text=candidate.text[:MAX_SNIPPET],
                verbatim=candidate.verbatim,
                rules=rules,
            )
        )
    statements = sorted(_bounded(found, statements, "statements"), key=lambda s: text.find(s.text))
    actors = _ranked_actors(found, [[a for action in actions for a in action.actors], [s.speaker for s in statements]])
    if not actors and rule("compose.actor.placeholder"):  # the schema wants one actor
        actors = [
            ActorFact(
                name="unnamed", kind=ActorKind.other, evidence=_clip(text, 120), rules=["compose.actor.placeholder"]
            )
        ]
    return Extraction(
        actors=actors,
        actions=actions,
        casualties=_bounded(found, casualties, "casualties"),
        statements=statements,
        summary=first_sentences(draft.summary),  # empty: assembly builds one from the grounded facts
    )


def _ranked_actors(found: Candidates, told: list[list[str]]) -> list[ActorFact]:
    """The actors the extraction lists, up to the schema's bound: the doers of its actions first, then the
    speakers of its statements (a fact's actor is an actor of the list), then those that do most."""
    text = found.analysis.text
    book = found.actors
    ranked = book.ranked(list_bound("actors"), first=told)
    for record in book.records:
        _left_out(
            found, "compose.drop.actor-rank", record not in ranked, "actor", record.evidence, record.name, record.rules
        )
    return [
        ActorFact(
            name=_short(record.name),
            kind=record.kind,
            title=_short(record.title) if record.title else None,
            aliases=[_short(a) for a in record.aliases[:4]],
            evidence=_clip(text[record.evidence[0] : record.evidence[1]], MAX_SNIPPET)
            if record.evidence
            else _short(record.name),
            rules=list(record.rules),
        )
        for record in ranked
    ]


def _action_key(
    kind: ActionType, doers: list[str], targets: list[str], location: str | None, instrument: str | None
) -> tuple[str, ...]:
    """What makes two actions the same (``compose.drop.same-action``): type, doers and targets; an act
    that names no one is told apart by where and with what ("bombs exploded in Belfast")."""
    apart = () if doers or targets else (fold_words(location or ""), fold_words(instrument or ""))
    return (kind.value, *sorted(fold_words(a) for a in doers), "|", *sorted(fold_words(t) for t in targets), *apart)


FactT = TypeVar("FactT", ActionFact, CasualtyFact, StatementFact)
_KIND_OF_LIST = {"actions": "action", "casualties": "figure", "statements": "statement"}


def _bounded(found: Candidates, facts: list[FactT], field: str) -> list[FactT]:
    """The first facts the extraction's list holds; the rest are dropped (``compose.drop.over-the-bound``)."""
    bound = list_bound(field)
    for fact in facts[bound:]:
        words = getattr(fact, "evidence", None) or getattr(fact, "text", "")
        _left_out(found, "compose.drop.over-the-bound", True, _KIND_OF_LIST[field], None, str(words), fact.rules)
    return facts[:bound]


def _left_out(
    found: Candidates,
    by: str,
    holds: bool,
    kind: str,
    span: tuple[int, int] | None,
    words: str,
    rules: list[str] | tuple[str, ...],
) -> bool:
    """Whether the rule ``by`` leaves a candidate out here; when it does, the candidate is kept in
    ``found.dropped`` (``span``: its words in the text, None when it has none)."""
    if not drop(by, holds):
        return False
    start, end = span or (-1, -1)
    found.dropped.append(Dropped(kind, start, end, words[:80], tuple(dict.fromkeys(rules)), by))
    return True


def _head(victims: str) -> str:
    words = fold_words(victims).split()
    return words[-1].rstrip("s") if words else ""


def _short(text: str) -> str:
    return clip_at_word(" ".join(text.split()), MAX_NAME)


def _clip(text: str, limit: int) -> str:
    return clip_at_word(text.strip(), limit)


def _around(text: str, span: tuple[int, int], anchor: int) -> str:
    """The sentence, or the ``MAX_SNIPPET`` characters of it around ``anchor``, cut at spaces."""
    start, end = span
    if end - start <= MAX_SNIPPET:
        return text[start:end].strip()
    lo = max(start, min(anchor - MAX_SNIPPET // 2, end - MAX_SNIPPET))
    space = text.find(" ", lo, anchor)
    lo = space + 1 if lo > start and space >= 0 else lo
    hi = min(end, lo + MAX_SNIPPET)
    cut = text.rfind(" ", lo, hi)
    hi = cut if hi < end and cut > anchor else hi
    return text[lo:hi].strip()
