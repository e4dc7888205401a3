"""The stories scorer on hand-made story sets: pairs per gold event, ledger figures, must-not-link."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.evaluation.stories import StoriesGold, score_stories
from summarizer.stories.ledger import reconcile
from summarizer.stories.model import ArticleFigure, LedgerLine, Report, ReportedFigure, Story, StorySet

GOLD = StoriesGold.model_validate(
    {
        "articles": {"a": {}, "b": {}, "c": {}, "d": {}},
        "events": [
            {
                "id": "strikes",
                "articles": ["a", "b", "c"],
                "figures": [
                    {"article": "a", "outcome": "killed", "low": 25, "high": 25},
                    {"article": "c", "outcome": "killed", "low": 25, "high": None},
                ],
            },
            {"id": "later-strikes", "articles": ["d"], "figures": []},
        ],
        "must_not_link": [["strikes", "later-strikes"]],
    }
)


def _row(article: str, low: int, high: int | None) -> ArticleFigure:
    text = str(low)
    evidence = {"text": text, "status": "grounded", "score": 1, "reason": "exact"}
    part = ReportedFigure.model_validate(
        {"victims": "people", "text": text, "low": low, "high": high, "evidence": evidence}
    )
    return ArticleFigure(report=article, low=low, high=high, text=text, parts=[part])


def _story(story_id: str, articles: list[str], killed: Sequence[tuple[str, int, int | None]] = ()) -> Story:
    rows = [_row(*figure) for figure in killed]
    ledger = [LedgerLine(outcome="killed", figures=rows, reconciled=reconcile(rows))] if rows else []
    return Story(
        id=story_id,
        headline=story_id,
        actors=[],
        targets=[],
        places=[],
        reports=[Report(article=a, summary_id=f"sum_{a}", actions=[]) for a in articles],
        links=[],
        ledger=ledger,
    )


def _set(*stories: Story) -> StorySet:
    return StorySet(id="set", created_at=datetime.now(UTC), summaries=4, stories=list(stories))


def test_a_perfect_story_set_scores_one() -> None:
    report = score_stories(
        _set(_story("s1", ["a", "b", "c"], [("a", 25, 25), ("c", 25, None)]), _story("s2", ["d"])), GOLD, gold_file="g"
    )
    assert (report.link_precision.share, report.link_recall.share, report.figure_accuracy.share) == (1.0, 1.0, 1.0)
    assert report.must_not_link_violations == []


def test_a_missing_article_costs_recall_and_a_wrong_figure_costs_accuracy() -> None:
    report = score_stories(_set(_story("s1", ["a", "b"], [("a", 25, 25), ("c", 26, None)])), GOLD, gold_file="g")
    assert (report.link_precision.hits, report.link_precision.total) == (1, 1)
    assert (report.link_recall.hits, report.link_recall.total) == (1, 3)
    assert (report.figure_accuracy.hits, report.figure_accuracy.total) == (1, 2)


def test_merging_two_events_that_must_not_link_is_a_violation_and_wrong_pairs() -> None:
    report = score_stories(_set(_story("s1", ["a", "b", "c", "d"], [("a", 25, 25)])), GOLD, gold_file="g")
    assert report.must_not_link_violations == ["story s1 links strikes with later-strikes"]
    assert (report.link_precision.hits, report.link_precision.total) == (3, 6)


def test_a_story_of_no_gold_event_counts_against_precision() -> None:
    report = score_stories(_set(_story("s1", ["b", "d"])), GOLD, gold_file="g")
    assert (report.link_precision.hits, report.link_precision.total) == (0, 1)


def test_eval_stories_reads_summary_files_and_reports_a_bad_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"articles": {}, "events": "nope"}))
    result = CliRunner().invoke(app, ["eval", "--stories", str(gold), "--summaries", str(tmp_path)])
    assert result.exit_code == 2 and "not a stories gold file" in result.output


@pytest.mark.parametrize("missing", ["--articles"])
def test_eval_stories_needs_summaries_or_articles(tmp_path: Path, missing: str) -> None:
    result = CliRunner().invoke(app, ["eval", "--stories", str(tmp_path / "g.json")])
    assert result.exit_code == 2 and missing in result.output
