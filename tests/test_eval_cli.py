"""``summarizer eval``: over summary files, through the pipeline on the replay backend, and --compare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.evaluation.report import EvalReport, read_report
from summarizer.prompts import PromptLibrary, bundled_prompts_dir
from summarizer.schema import Evidence, EvidenceReason, GroundingStatus, QuoteCheck
from tests.conftest import SEEDS
from tests.eval_helpers import action, actor, casualty, statement, summary, write_json

runner = CliRunner()
GOLD = Path(__file__).parent / "data" / "gold"
COMMITTED_REPORTS = Path(__file__).parent.parent / "eval" / "reports"
SEEDS_DIR = SEEDS[0].parent

ARTICLE_A = "Pompeo said the strikes were “aimed at deterring Iraq”. US forces hit KH sites; 25 militiamen were killed."
ARTICLE_B = "A roadside bomb killed three militants in Kandahar, police said."

GOLD_A: dict[str, Any] = {
    "article": "a.txt",
    "actors": [{"name": "Mike Pompeo", "aliases": ["Pompeo"]}, {"name": "Kata'ib Hezbollah", "aliases": ["KH"]}],
    "events": [{"what": "US strikes on KH", "actor": ["US"], "target": ["KH"], "location": ["Iraq"]}],
    "casualties": [{"what": "militiamen killed", "victims": ["militiamen"], "killed": 25}],
    "statements": [{"speaker": ["Pompeo"], "quote_contains": "aimed at deterring Iraq"}],
}
GOLD_B: dict[str, Any] = {
    "article": "b.txt",
    "actors": [{"name": "Taliban militants", "aliases": ["militants"]}],
    "casualties": [{"what": "militants killed", "victims": ["militants"], "killed": 3}],
}


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    """Two articles, their gold files and their summaries, with offsets that point into the articles."""
    dirs = {name: tmp_path / name for name in ("gold", "articles", "summaries")}
    write_json(dirs["gold"] / "a.json", GOLD_A)
    write_json(dirs["gold"] / "b.json", GOLD_B)
    dirs["articles"].mkdir()
    (dirs["articles"] / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (dirs["articles"] / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    made_a = summary(
        actors=[actor("Pompeo", article=ARTICLE_A), actor("KH", article=ARTICLE_A)],
        actions=[action(["US forces"], ["KH sites"])],
        casualties=[casualty("militiamen", "killed", 25, article=ARTICLE_A)],
        statements=[statement("Mike Pompeo", "aimed at deterring Iraq", QuoteCheck.verbatim_found, article=ARTICLE_A)],
        article_text=ARTICLE_A,
    )
    # the grounder's offsets for "police" are wrong here: the re-check must count it
    police = actor("police").model_copy(
        update={
            "evidence": Evidence(
                text="police", status=GroundingStatus.grounded, start=0, end=6, score=1.0, reason=EvidenceReason.exact
            )
        }
    )
    made_b = summary(actors=[police], article_text=ARTICLE_B, prompt_version="v2")
    write_json(dirs["summaries"] / "a.json", made_a.model_dump(mode="json"))
    write_json(dirs["summaries"] / "b.json", made_b.model_dump(mode="json"))
    return dirs


def run(*args: str | Path) -> Any:
    return runner.invoke(app, ["eval", *(str(a) for a in args)])


def one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("summarizer: error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


# --- --summaries: no model ------------------------------------------------------------------------------


def test_scores_summary_files_and_writes_the_report(corpus: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run(
        "--gold", corpus["gold"], "--articles", corpus["articles"], "--summaries", corpus["summaries"], "--out", out
    )
    assert result.exit_code == 0, result.output
    assert "a.txt" in result.stdout and "Total (2)" in result.stdout
    report = read_report(out)
    assert report.mode == "summaries"
    assert report.run.prompt_version == "mixed: v1, v2"  # the two summaries disagree
    assert report.run.model == "test-model" and report.run.schema_version == "3"
    a, b = report.articles
    assert (a.status, b.status) == ("ok", "ok")
    assert [(m.kind.value, m.matched) for m in a.matches] == [
        ("actor", True),
        ("actor", True),
        ("event", True),
        ("casualty", True),
        ("statement", True),
    ]
    assert a.matches[2].note == "location not matched (none given)"
    assert [(m.kind.value, m.matched) for m in b.matches] == [("actor", False), ("casualty", False)]
    totals = report.totals.scores
    assert (totals.overall.hits, totals.overall.total) == (5, 7)
    assert (totals.actors.hits, totals.actors.total) == (2, 3)
    assert totals.verbatim_quotes_found.share == 1.0
    assert totals.grounded_not_in_article == 1
    assert (a.grounding_mismatches, b.grounding_mismatches) == ([], ["police"])
    assert totals.casualty_numbers_found.share == 1.0
    assert report.totals.tokens.total_tokens == 240
    assert report.report_format == "2"
    assert totals.casualty_precision is not None and (
        totals.casualty_precision.hits,
        totals.casualty_precision.total,
    ) == (1, 1)
    assert a.scores.attribution_precision is not None and a.scores.attribution_precision.total == 1
    assert b.scores.casualty_precision is not None and b.scores.casualty_precision.total == 0
    assert (a.precision_misses, b.precision_misses) == ([], [])
    header = result.stdout[: result.stdout.index("a.txt")]
    assert "Casualty" in header and "precision" in header and "Attribution" in header


def test_summaries_without_articles_skip_the_grounding_recheck(corpus: dict[str, Path]) -> None:
    out = corpus["gold"].parent / "r.json"
    result = run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", out)
    assert result.exit_code == 0, result.output
    report = read_report(out)
    assert report.totals.scores.grounded_not_in_article is None
    assert report.articles[0].article_file is None


def test_summary_made_from_another_text_is_not_rechecked(corpus: dict[str, Path]) -> None:
    (corpus["articles"] / "b.txt").write_text(ARTICLE_B + " Edited.", encoding="utf-8")
    out = corpus["gold"].parent / "r.json"
    assert (
        run(
            "--gold", corpus["gold"], "--articles", corpus["articles"], "--summaries", corpus["summaries"], "--out", out
        ).exit_code
        == 0
    )
    b = read_report(out).articles[1]
    assert b.scores.grounded_not_in_article is None
    assert b.warnings and "another text" in b.warnings[0]


def test_a_missing_summary_fails_that_article_only(corpus: dict[str, Path]) -> None:
    (corpus["summaries"] / "b.json").unlink()
    (corpus["summaries"] / "a.json").rename(corpus["summaries"] / "a.keep")
    (corpus["summaries"] / "a.json").write_text('{"summary": "not a summary"}', encoding="utf-8")
    out = corpus["gold"].parent / "r.json"
    result = run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", out)
    assert result.exit_code == 1
    assert "a.json: not an ArticleSummary" in result.stderr
    assert "b.json: no such summary file" in result.stderr
    report = read_report(out)
    assert report.totals.failed == 2
    assert report.totals.scores.overall.hits == 0 and report.totals.scores.overall.total == 7
    assert all(m.note == "no summary" for m in report.articles[1].matches)


# --- input errors: one line naming the file, exit 2 ----------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "is not valid JSON"),
        ('{"article": "a.txt", "casualties": [{"what": "x", "victims": ["y"]}]}', "needs 'killed' or 'injured'"),
        ('{"article": "a.txt", "actor": []}', "actor: Extra inputs are not permitted"),
    ],
)
def test_unreadable_gold_file_is_one_line_naming_it(corpus: dict[str, Path], content: str, message: str) -> None:
    bad = corpus["gold"] / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = run("--gold", corpus["gold"], "--summaries", corpus["summaries"])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert str(bad) in line and message in line
    assert "Traceback" not in result.output


def test_missing_directories_and_articles_are_named(corpus: dict[str, Path], tmp_path: Path) -> None:
    result = run("--gold", tmp_path / "nope", "--articles", corpus["articles"])
    assert result.exit_code == 2 and f"{tmp_path / 'nope'}: no such gold directory" in one_error_line(result.stderr)
    result = run("--gold", corpus["gold"], "--articles", tmp_path / "none")
    assert result.exit_code == 2 and f"{tmp_path / 'none'}: no such articles directory" in one_error_line(result.stderr)
    result = run("--gold", corpus["gold"], "--summaries", tmp_path / "none")
    assert result.exit_code == 2 and "no such summaries directory" in one_error_line(result.stderr)
    (corpus["articles"] / "b.txt").unlink()
    result = run("--gold", corpus["gold"], "--articles", corpus["articles"])
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert str(corpus["gold"] / "b.json") in line and "b.txt is in none of the articles directories" in line


def test_gold_dir_and_articles_are_required() -> None:
    assert "--gold DIR is required" in one_error_line(run().stderr)
    assert "--articles DIR is required" in one_error_line(run("--gold", GOLD).stderr)


# --- through the pipeline on the replay backend -----------------------------------------------------------


def test_seed_articles_through_the_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "seeds.json"
    result = run("--gold", GOLD, "--articles", tmp_path / "elsewhere", "--articles", SEEDS_DIR, "--out", out)
    assert result.exit_code == 2  # a missing articles directory stops before any model call
    result = run("--gold", GOLD, "--articles", SEEDS_DIR, "--out", out)
    assert result.exit_code == 0, result.output
    report = read_report(out)
    assert report.mode == "pipeline"
    run_info = report.run
    default = PromptLibrary(bundled_prompts_dir()).default_version("summarize", "embedded")
    assert (run_info.prompt_name, run_info.prompt_version, run_info.backend) == ("summarize", default, "replay")
    assert run_info.schema_version == "3" and run_info.model
    assert [a.article for a in report.articles] == [p.name for p in SEEDS]
    assert all(a.status == "ok" and a.cache_hit is False for a in report.articles)
    assert all(a.seconds is not None and a.tokens and a.tokens.completion_tokens > 0 for a in report.articles)
    assert report.totals.tokens.total_tokens == sum(a.tokens.total_tokens for a in report.articles if a.tokens)
    totals = report.totals.scores
    assert totals.overall.total == sum(a.scores.overall.total for a in report.articles) == 117
    assert 0 < totals.overall.hits < totals.overall.total
    assert totals.grounded_not_in_article == 0  # the grounder's offsets agree with its own snippets
    for article in report.articles:
        assert len(article.matches) == article.scores.overall.total
    for field in ("casualty_precision", "attribution_precision"):
        pooled = getattr(totals, field)
        per_article = [getattr(a.scores, field) for a in report.articles]
        assert pooled.total == sum(r.total for r in per_article) and pooled.hits == sum(r.hits for r in per_article)
    # the same run again is served from the cache
    again = run("--gold", GOLD, "--articles", SEEDS_DIR, "--out", tmp_path / "again.json")
    assert again.exit_code == 0
    cached = read_report(tmp_path / "again.json")
    assert cached.totals.cache_hits == 5
    assert cached.totals.scores == report.totals.scores


def test_a_summarize_failure_is_recorded_and_the_others_run(tmp_path: Path) -> None:
    articles, gold = tmp_path / "articles", tmp_path / "gold"
    articles.mkdir()
    gold.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(GOLD / f"{seed.stem}.json", gold)
    shutil.copy(SEEDS[0], articles)
    (articles / SEEDS[1].name).write_text(SEEDS[1].read_text(encoding="utf-8") + "\nAn edit.", encoding="utf-8")
    out = tmp_path / "r.json"
    result = run("--gold", gold, "--articles", articles, "--out", out)
    assert result.exit_code == 1
    line = one_error_line(result.stderr)
    assert str(articles / SEEDS[1].name) in line and "no recording" in line
    report = read_report(out)
    assert [a.status for a in report.articles] == ["ok", "failed"]
    assert report.articles[1].error is not None and "no recording" in report.articles[1].error
    assert report.totals.failed == 1


def test_unknown_prompt_version_stops_before_any_article() -> None:
    result = run("--gold", GOLD, "--articles", SEEDS_DIR, "--prompt-version", "v404")
    assert result.exit_code == 2
    assert "v404" in one_error_line(result.stderr)
    assert "eval [1/" not in result.stderr


# --- --compare ------------------------------------------------------------------------------------------


def test_compare_prints_totals_side_by_side(corpus: dict[str, Path], tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", a).exit_code == 0
    found = [casualty("militants", "killed", 3), casualty("police", "killed", 4)]  # the 4 is noise
    (corpus["summaries"] / "b.json").write_text(
        summary(actors=[actor("Taliban")], casualties=found).model_dump_json(), encoding="utf-8"
    )
    assert run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", b).exit_code == 0
    result = run("--compare", a, b)
    assert result.exit_code == 0, result.output
    lines = comparison_lines(result.stdout)
    assert "5/7 71.4%" in lines["overall fact recall"] and "7/7 100.0%" in lines["overall fact recall"]
    assert "+28.6 pp" in lines["overall fact recall"]
    assert "+33.3 pp" in lines["actor recall"]
    assert "1/1 100.0%" in lines["casualty precision"] and "2/3 66.7%" in lines["casualty precision"]
    assert "-33.3 pp" in lines["casualty precision"]
    assert "1/1 100.0%" in lines["statement attribution precision"]
    assert "note:" not in result.stdout


def comparison_lines(stdout: str) -> dict[str, str]:
    return {line.split("│")[1].strip(): line for line in stdout.splitlines() if line.count("│") >= 4}


def as_format_1(report: Path, out: Path) -> Path:
    """The report as the scorer wrote it before precision existed: report_format "1", no precision keys."""
    data = json.loads(report.read_text(encoding="utf-8"))
    data["report_format"] = "1"
    for scores in [data["totals"]["scores"], *(article["scores"] for article in data["articles"])]:
        del scores["casualty_precision"], scores["attribution_precision"]
    for article in data["articles"]:
        del article["precision_misses"]
    return write_json(out, data)


FORMAT_1_REPORTS = [p for p in sorted(COMMITTED_REPORTS.glob("*.json")) if p.stem in {"v1-baseline", "v3", "v4"}]


@pytest.mark.parametrize("path", FORMAT_1_REPORTS, ids=lambda p: p.stem)
def test_committed_format_1_reports_still_load(path: Path) -> None:
    report = read_report(path)
    assert report.report_format == "1" and not report.has_precision
    assert report.totals.scores.casualty_precision is None
    assert all(a.scores.attribution_precision is None and a.precision_misses == [] for a in report.articles)


def test_compare_committed_format_1_reports() -> None:
    baseline, v3 = COMMITTED_REPORTS / "v1-baseline.json", COMMITTED_REPORTS / "v3.json"
    result = run("--compare", baseline, v3)
    assert result.exit_code == 0, result.output
    lines = comparison_lines(result.stdout)
    assert "63/167 37.7%" in lines["overall fact recall"]
    for metric in ("casualty precision", "statement attribution precision"):
        cells = [cell.strip() for cell in lines[metric].split("│")[2:5]]
        assert cells == ["-", "-", "-"], lines[metric]
    assert "note: A and B predate the precision figures (report format 1)" in result.stdout


def test_compare_a_format_1_report_with_a_new_one(corpus: dict[str, Path], tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    assert run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", new).exit_code == 0
    old = as_format_1(new, tmp_path / "old.json")
    assert read_report(old).totals.scores == read_report(new).totals.scores.model_copy(
        update={"casualty_precision": None, "attribution_precision": None}
    )
    result = run("--compare", old, new)
    assert result.exit_code == 0, result.output
    cells = [cell.strip() for cell in comparison_lines(result.stdout)["casualty precision"].split("│")[2:5]]
    assert cells == ["-", "1/1 100.0%", "-"]
    assert "note: A predates the precision figures" in result.stdout
    assert "note: B" not in result.stdout


def test_a_format_2_report_without_precision_is_rejected(corpus: dict[str, Path], tmp_path: Path) -> None:
    new = tmp_path / "new.json"
    assert run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", new).exit_code == 0
    broken = as_format_1(new, tmp_path / "broken.json")
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["report_format"] = "2"
    write_json(broken, data)
    result = run("--compare", new, broken)
    assert result.exit_code == 2
    line = one_error_line(result.stderr)
    assert "not an evaluation report" in line and "precision" in line


def test_compare_notes_different_articles_and_names_bad_files(corpus: dict[str, Path], tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    assert run("--gold", corpus["gold"], "--summaries", corpus["summaries"], "--out", a).exit_code == 0
    data = json.loads(a.read_text(encoding="utf-8"))
    data["articles"] = data["articles"][:1]
    b = write_json(tmp_path / "b.json", EvalReport.model_validate(data).model_dump(mode="json"))
    result = run("--compare", a, b)
    assert result.exit_code == 0
    assert "only in A: b.txt" in result.stdout
    result = run("--compare", a, tmp_path / "missing.json")
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing.json'}: no such report file" in one_error_line(result.stderr)
    (tmp_path / "c.json").write_text('{"mode": "x"}', encoding="utf-8")
    result = run("--compare", a, tmp_path / "c.json")
    assert result.exit_code == 2 and "not an evaluation report" in one_error_line(result.stderr)
