"""Score a story set against the stories gold (``/work/shared/eval/FORMAT.md``, section "Stories").

Each system story is matched to the gold event it agrees with most (its figures first, then its
articles): a story with one report only when one of its figures is the event's. A gold pair of
articles is found when a story matched to its event holds both; a system pair is right when its
story's event holds both. A gold figure is found when a
story matched to its event has a ledger row of that article and outcome with the same low and high.
A story holding articles of two events the gold says must not be linked is a violation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.errors import InputError
from summarizer.evaluation.scoring import Ratio
from summarizer.schema import ArticleSummary
from summarizer.stories.build import link_stories
from summarizer.stories.inputs import ArticleInfo
from summarizer.stories.model import Story, StorySet


class _Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")


class GoldArticle(_Gold):
    published_at: date | None = None
    outlet: str | None = None


class GoldFigure(_Gold):
    article: str
    outcome: str
    low: int
    high: int | None = None
    reported_by: str | None = None


class GoldEvent(_Gold):
    id: str
    what: str = ""
    articles: list[str]
    figures: list[GoldFigure] = Field(default_factory=list)


class StoriesGold(_Gold):
    articles: dict[str, GoldArticle]
    events: list[GoldEvent]
    must_not_link: list[tuple[str, str]] = Field(default_factory=list)


class EventScore(BaseModel):
    event: str
    stories: list[str] = Field(description="Ids of the system stories matched to this event")
    pairs: Ratio
    figures: Ratio
    missed_figures: list[str] = Field(default_factory=list)


class StoriesReport(BaseModel):
    report_format: str = "stories eval v1"
    gold_file: str
    link_precision: Ratio
    link_recall: Ratio
    figure_accuracy: Ratio
    must_not_link_violations: list[str]
    events: list[EventScore]
    story_set: StorySet


def load_stories_gold(path: Path) -> StoriesGold:
    try:
        return StoriesGold.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InputError("no such stories gold file", origin=str(path)) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot be read as JSON ({exc})", origin=str(path)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"not a stories gold file: {where}: {first['msg']}", origin=str(path)) from None


def _articles(story: Story) -> set[str]:
    return {report.article for report in story.reports}


def _figure_found(story: Story, figure: GoldFigure) -> bool:
    return any(
        line.outcome.value == figure.outcome
        and row.report == figure.article
        and row.low == figure.low
        and row.high == figure.high
        for line in story.ledger
        for row in line.figures
    )


def _match(story: Story, events: list[GoldEvent]) -> GoldEvent | None:
    def agreement(event: GoldEvent) -> tuple[int, int]:
        figures = sum(_figure_found(story, f) for f in event.figures)
        return figures, len(_articles(story) & set(event.articles))

    best = max(events, key=agreement, default=None)
    if best is None:
        return None
    figures, shared = agreement(best)
    return best if shared >= 2 or (shared and figures) else None


def _pairs(articles: set[str]) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in combinations(sorted(articles), 2)}


def score_stories(story_set: StorySet, gold: StoriesGold, *, gold_file: str) -> StoriesReport:
    linked = [s for s in story_set.stories if len(s.reports) > 1]
    matched: dict[str, list[Story]] = {event.id: [] for event in gold.events}
    right = wrong = 0
    for story in story_set.stories:
        event = _match(story, gold.events)
        if event is not None:
            matched[event.id].append(story)
        for pair in _pairs(_articles(story)):
            if event is not None and pair <= set(event.articles):
                right += 1
            else:
                wrong += 1
    events = []
    found_pairs = total_pairs = found_figures = total_figures = 0
    for event in gold.events:
        stories = matched[event.id]
        gold_pairs = _pairs(set(event.articles))
        hit_pairs = {p for p in gold_pairs if any(p <= _articles(s) for s in stories)}
        hits = [f for f in event.figures if any(_figure_found(s, f) for s in stories)]
        missed = [f"{f.article} {f.outcome} {f.low}-{f.high}" for f in event.figures if f not in hits]
        events.append(
            EventScore(
                event=event.id,
                stories=[s.id for s in stories],
                pairs=Ratio.of(len(hit_pairs), len(gold_pairs)),
                figures=Ratio.of(len(hits), len(event.figures)),
                missed_figures=missed,
            )
        )
        found_pairs, total_pairs = found_pairs + len(hit_pairs), total_pairs + len(gold_pairs)
        found_figures, total_figures = found_figures + len(hits), total_figures + len(event.figures)
    by_id = {event.id: event for event in gold.events}
    violations = []
    for first, second in gold.must_not_link:
        if first not in by_id or second not in by_id:
            continue
        for story in linked:
            a, b = _articles(story) & set(by_id[first].articles), _articles(story) & set(by_id[second].articles)
            if a and b and (a - b or b - a):
                violations.append(f"story {story.id} links {first} with {second}")
    return StoriesReport(
        gold_file=gold_file,
        link_precision=Ratio.of(right, right + wrong),
        link_recall=Ratio.of(found_pairs, total_pairs),
        figure_accuracy=Ratio.of(found_figures, total_figures),
        must_not_link_violations=violations,
        events=events,
        story_set=story_set,
    )


def evaluate_stories(
    gold_path: Path, summary_of: Callable[[str], ArticleSummary], *, on_article: Callable[[str], Any] | None = None
) -> StoriesReport:
    """Link the gold's articles' summaries (with the gold's publication days and outlets) and score them."""
    gold = load_stories_gold(gold_path)
    names = sorted(gold.articles)
    summaries = []
    for name in names:
        if on_article is not None:
            on_article(name)
        summaries.append(summary_of(name))
    info = {name: ArticleInfo(published_at=a.published_at, outlet=a.outlet) for name, a in gold.articles.items()}
    story_set = link_stories(summaries, articles=names, info=info)
    return score_stories(story_set, gold, gold_file=str(gold_path))
