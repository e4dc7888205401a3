"""``summarizer rules list|stats``, ``summarizer explain`` and ``summarizer diff``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from summarizer import Summarizer
from summarizer.cli import app
from summarizer.rules.loader import rules
from summarizer.settings import Settings
from tests.conftest import SEEDS

runner = CliRunner()


def test_rules_list_names_every_rule_with_its_purpose() -> None:
    result = runner.invoke(app, ["rules", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(rules().by_id)
    assert any(line.startswith("figure.outcome.governing-word: fill [outcome]: ") for line in lines)
    assert any(line.startswith("figure.outcome.toll-at: fill [outcome] (dependency): ") for line in lines)
    only = runner.invoke(app, ["rules", "list", "--finder", "injection"]).stdout.splitlines()
    assert only and all(line.startswith("injection.") for line in only)


def test_rules_stats_on_articles_counts_facts_drops_and_conflicts(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Militants attacked a police convoy in Kandahar on Sunday, killing five officers, the governor said.\n"
        "More than 30 rockets were fired at the base, killing two guards.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "stats", str(folder)])
    assert result.exit_code == 0, result.output
    rows = {
        line.split()[0]: line.split()[1:]
        for line in result.stdout.splitlines()
        if line.startswith(("figure.", "event."))
    }
    assert rows["figure.find.number"][:2] == ["2", "1"]  # five officers, two guards: two facts, one article
    assert int(rows["figure.drop.counts-things"][3]) >= 1  # "30 rockets" dropped
    assert "conflicts" in result.stdout and "applied nowhere" in result.stdout


def test_rules_stats_on_summaries_counts_their_rules(settings: Settings, tmp_path: Path) -> None:
    summary = Summarizer(settings).summarize(SEEDS[0].read_text())
    batch = tmp_path / "out.jsonl"
    batch.write_text(summary.model_dump_json() + "\n", encoding="utf-8")
    result = runner.invoke(app, ["rules", "stats", str(batch)])
    assert result.exit_code == 0, result.output
    assert "1 articles" in result.stdout and "no dropped candidates" in result.stdout
    assert "event.find.trigger-verb" in result.stdout


def test_explain_prints_each_fact_with_its_rules_and_the_dropped_candidates(settings: Settings) -> None:
    result = runner.invoke(app, ["explain", str(SEEDS[0])])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "actions (" in text and "rules: event.find." in text
    assert "dropped candidates (" in text and "dropped by figure.drop.counts-things" in text  # "30 rockets"
    facts = sum(1 for line in text.splitlines() if line.strip().startswith("rules: "))
    summary = Summarizer(settings).summarize(SEEDS[0].read_text())
    assert facts == len(summary.actors) + len(summary.actions) + len(summary.casualties) + len(summary.statements)


def test_explain_without_the_model_gives_code_facts_as_json() -> None:
    result = runner.invoke(app, ["explain", str(SEEDS[0]), "--no-model", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["provenance"]["backend"] == "none"
    assert all(fact["rules"] for fact in data["summary"]["actions"])
    assert {"kind", "text", "rules", "dropped_by", "start", "end"} <= set(data["dropped"][0])


def test_explain_names_a_missing_file() -> None:
    result = runner.invoke(app, ["explain", "no-such-article.txt"])
    assert result.exit_code == 2 and "no-such-article.txt: no such file" in result.output


def _batch(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_diff_shows_what_moved_fact_by_fact_with_rules(settings: Settings, tmp_path: Path) -> None:
    summary = Summarizer(settings).summarize(SEEDS[0].read_text()).model_dump(mode="json")
    old = _batch(tmp_path / "old.jsonl", [summary])
    same = runner.invoke(app, ["diff", str(old), str(old)])
    assert same.exit_code == 0 and "0 changed" in same.stdout
    changed = json.loads(json.dumps(summary))
    changed["casualties"][0]["victims"] = "someone else"
    removed = changed["actions"].pop(0)
    new = _batch(tmp_path / "new.jsonl", [changed])
    result = runner.invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert f"  - action: {removed['type']}" in result.stdout
    assert "victims: " in result.stdout and "-> 'someone else'" in result.stdout
    assert "rules before: " + ", ".join(removed["rules"]) in result.stdout


def test_diff_refuses_what_is_not_summaries(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("An article.", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(article), str(article)])
    assert result.exit_code == 2 and "summaries were expected" in result.output
