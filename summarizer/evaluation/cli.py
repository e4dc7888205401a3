"""The ``summarizer eval`` command: score summaries against gold fact lists, or compare two reports.

Exit codes: 0 when every article was scored, 1 when one or more articles failed (they are in the
report), 2 for unusable input (missing directories, an unreadable gold file, bad settings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.table import Table

from summarizer.console import configure_logging, fail, note, stderr
from summarizer.errors import ConfigError, InputError
from summarizer.evaluation.gold import load_gold_dir
from summarizer.evaluation.report import ArticleReport, Comparison, EvalReport, compare, read_report, write_report
from summarizer.evaluation.run import (
    DirectoryProvider,
    EvalItem,
    PipelineProvider,
    SummaryProvider,
    evaluate,
    find_articles,
    read_article,
)
from summarizer.evaluation.scoring import Ratio, Scores
from summarizer.evaluation.stories import StoriesReport
from summarizer.pipeline import Summarizer
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings


def _stdout() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console.width = 180  # logs and pipes: do not squeeze the table to 80 columns
    return console


def eval_command(
    gold: Annotated[
        Path | None, typer.Option("--gold", metavar="DIR", help="Directory of gold fact lists (<article-stem>.json)")
    ] = None,
    articles: Annotated[
        list[Path] | None,
        typer.Option(
            "--articles", metavar="DIR", help="Directory holding the articles named by the gold files; repeatable"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write the report as JSON to this file")
    ] = None,
    prompt_version: Annotated[
        str | None,
        typer.Option(
            "--prompt-version", metavar="VERSION", help="Prompt version to evaluate (default: prompts/defaults.toml)"
        ),
    ] = None,
    summaries: Annotated[
        Path | None,
        typer.Option(
            "--summaries", metavar="DIR", help="Score summary JSON files made earlier (<article-stem>.json): no model"
        ),
    ] = None,
    compare_files: Annotated[
        tuple[Path, Path] | None,
        typer.Option("--compare", metavar="A.json B.json", help="Print two reports' totals side by side and exit"),
    ] = None,
    stories: Annotated[
        Path | None,
        typer.Option(
            "--stories",
            metavar="FILE",
            help="Score stories instead: link the gold's articles and score links and ledger figures",
        ),
    ] = None,
) -> None:
    """Score summaries against gold fact lists: recall per kind, precision of casualties and speakers, grounding."""
    if compare_files is not None:
        _print_comparison(*compare_files)
        return
    if stories is not None:
        _evaluate_stories(stories, articles or [], summaries, prompt_version, out)
        return
    if gold is None:
        fail("--gold DIR is required (or --compare A.json B.json)")
    if summaries is None and not articles:
        fail("--articles DIR is required unless --summaries DIR is given")
    configure_logging()
    try:
        golds = load_gold_dir(gold)
        items = find_articles(golds, articles or [], required=summaries is None)
        provider: SummaryProvider
        if summaries is not None:
            if prompt_version is not None:
                note("--prompt-version is ignored with --summaries (the summaries say what made them)")
            provider = DirectoryProvider(summaries)
            run_info = None
        else:
            pipeline = PipelineProvider(_summarizer(), prompt_version)
            provider, run_info = pipeline, pipeline.run_info()
    except (InputError, ConfigError) as exc:
        fail(str(exc))

    def started(number: int, item: EvalItem) -> None:
        note(f"eval [{number}/{len(items)}] {item.gold.article} ({provider.mode})")

    def done(article: ArticleReport) -> None:
        if article.error is not None:
            stderr.print(f"summarizer: error: {article.error}", markup=False, highlight=False, soft_wrap=True)

    try:
        report = evaluate(items, provider, gold_dir=gold, run_info=run_info, on_start=started, on_done=done)
    except KeyboardInterrupt:
        fail("interrupted (no report written)", code=130)
    _stdout().print(_article_table(report))
    checks = _checks_line(report.totals.scores)
    if checks:
        _stdout().print(checks, markup=False, highlight=False)
    _write(report, out)
    if report.totals.failed:
        raise typer.Exit(1)


def _evaluate_stories(
    gold: Path, articles: list[Path], summaries: Path | None, prompt_version: str | None, out: Path | None
) -> None:
    from summarizer.evaluation.stories import evaluate_stories
    from summarizer.schema_upgrade import read_summary

    if summaries is None and not articles:
        fail("--articles DIR (or --summaries DIR) is required with --stories")
    configure_logging()
    pipeline = None if summaries is not None else PipelineProvider(_summarizer(), prompt_version)

    def summary_of(name: str) -> ArticleSummary:
        if summaries is not None:
            path = summaries / f"{name}.json"
            try:
                return read_summary(path.read_bytes())
            except OSError as exc:
                raise InputError(f"cannot be read ({exc.strerror})", origin=str(path)) from None
            except ValueError as exc:
                raise InputError(f"is not a readable summary ({exc})", origin=str(path)) from None
        found = next((d / f"{name}.txt" for d in articles if (d / f"{name}.txt").is_file()), None)
        if found is None or pipeline is None:
            raise InputError(f"no article {name}.txt in {', '.join(map(str, articles))}")
        text = read_article(found)
        return pipeline.summarizer.summarize(text, prompt_version=pipeline.prompt_version, origin=str(found))

    try:
        report = evaluate_stories(gold, summary_of, on_article=lambda name: note(f"stories eval: {name}"))
    except (InputError, ConfigError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("interrupted (no report written)", code=130)
    _stdout().print(_stories_table(report))
    for violation in report.must_not_link_violations:
        stderr.print(f"summarizer: must not link: {violation}", markup=False, highlight=False)
    _write(report, out)


def _write(report: BaseModel, out: Path | None) -> None:
    """Write the report to ``out`` when asked; an unwritable path fails the command, naming it."""
    if out is not None:
        try:
            write_report(report, out)
        except InputError as exc:
            fail(str(exc))
        note(f"wrote {out}")


def _stories_table(report: StoriesReport) -> Table:
    table = Table(title=f"stories · {report.gold_file}")
    for column in ("Gold event", "Stories", "Article pairs linked", "Figures in the ledger", "Missed figures"):
        table.add_column(column)
    for event in report.events:
        table.add_row(
            event.event,
            str(len(event.stories)),
            _ratio(event.pairs),
            _ratio(event.figures),
            "; ".join(event.missed_figures),
        )
    table.add_section()
    table.add_row(
        "Total",
        f"precision {_ratio(report.link_precision)}",
        f"recall {_ratio(report.link_recall)}",
        f"accuracy {_ratio(report.figure_accuracy)}",
        f"{len(report.must_not_link_violations)} must-not-link violations",
    )
    return table


def _summarizer() -> Summarizer:
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"invalid setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from None
    return Summarizer(settings)


# --- tables -------------------------------------------------------------------------------------

_RATIO_COLUMNS = [
    ("Actors", "actors"),
    ("Events", "events"),
    ("Casualties", "casualties"),
    ("Statements", "statements"),
    ("All facts", "overall"),
    ("Casualty precision", "casualty_precision"),
    ("Attribution precision", "attribution_precision"),
    ("Quotes verbatim", "verbatim_quotes_found"),
    ("Numbers found", "casualty_numbers_found"),
]


def _ratio(ratio: Ratio | None) -> str:
    if ratio is None or ratio.share is None:
        return "-"
    return f"{ratio.hits}/{ratio.total} {ratio.share:.0%}"


def _row(scores: Scores) -> list[str]:
    bad = scores.grounded_not_in_article
    return [*(_ratio(getattr(scores, field)) for _, field in _RATIO_COLUMNS), "-" if bad is None else str(bad)]


def _article_table(report: EvalReport) -> Table:
    run = report.run
    title = (
        f"{run.prompt_name or '?'}/{run.prompt_version or '?'} · schema v{run.schema_version or '?'} · "
        f"{run.model or '?'} ({run.backend or '?'}) · {report.mode}"
    )
    table = Table(title=title, show_footer=False)
    names = [article.article for article in report.articles]
    table.add_column("Article", min_width=max(map(len, names), default=0), no_wrap=True)  # shrink the figures
    for label, _ in _RATIO_COLUMNS:
        table.add_column(label, justify="right")
    table.add_column("Grounded ✗", justify="right")
    table.add_column("Time s", justify="right")
    table.add_column("Status")
    for article in report.articles:
        status = "ok" + (" (cache)" if article.cache_hit else "") if article.status == "ok" else "[red]failed[/red]"
        seconds = "-" if article.seconds is None else f"{article.seconds:.1f}"
        table.add_row(article.article, *_row(article.scores), seconds, status)
    totals = report.totals
    failed = f"{totals.failed} failed" if totals.failed else "ok"
    table.add_section()
    table.add_row(f"Total ({totals.articles})", *_row(totals.scores), f"{totals.seconds:.1f}", failed, style="bold")
    return table


_CHECKS = (
    ("instruments", "instruments"),
    ("modality", "modality"),
    ("time_frame", "time frame"),
    ("dateline", "dateline place"),
    ("not_furniture", "not furniture"),
)


def _checks_line(scores: Scores) -> str:
    """The extended gold's checks, for the gold sets that give them (eval/unseen)."""
    told = [(label, ratio) for field, label in _CHECKS if (ratio := getattr(scores, field)) is not None]
    return "checks: " + ", ".join(f"{label} {r.hits}/{r.total}" for label, r in told) if told else ""


def _print_comparison(path_a: Path, path_b: Path) -> None:
    try:
        a, b = read_report(path_a), read_report(path_b)
    except InputError as exc:
        fail(str(exc))
    result = compare(a, b)
    console = _stdout()
    console.print(_comparison_table(result, a, b, path_a, path_b))
    for remark in result.notes:
        console.print(f"note: {remark}", markup=False)


def _comparison_table(result: Comparison, a: EvalReport, b: EvalReport, path_a: Path, path_b: Path) -> Table:
    table = Table(title="Evaluation totals: B - A")
    table.add_column("Metric")
    table.add_column(f"A: {path_a.name}\n{_describe(a)}", justify="right")
    table.add_column(f"B: {path_b.name}\n{_describe(b)}", justify="right")
    table.add_column("Δ", justify="right")
    for row in result.rows:
        if row.kind == "ratio":
            cell_a = f"{row.a_detail} {_percent(row.a)}"
            cell_b = f"{row.b_detail} {_percent(row.b)}"
            delta = "-" if row.delta is None else f"{row.delta * 100:+.1f} pp"
        else:
            cell_a, cell_b = row.a_detail, row.b_detail
            delta = "-" if row.delta is None else f"{row.delta:+g}"
        if row.delta:
            better = (row.delta > 0) == row.higher_is_better
            delta = f"[{'green' if better else 'red'}]{delta}[/]"
        table.add_row(row.metric, cell_a, cell_b, delta)
    return table


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.1%}"


def _describe(report: EvalReport) -> str:
    run = report.run
    return f"{run.prompt_name or '?'}/{run.prompt_version or '?'} · {run.model or '?'}"
