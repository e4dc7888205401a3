"""Run an evaluation: pair gold files with articles, get a summary for each, score it, build the report.

Summaries come from the normal pipeline (``PipelineProvider``: cache and backend apply) or from a
directory of summary JSON files made earlier (``DirectoryProvider``: no model). A failure on one
article is recorded in its ``ArticleReport`` and the others still run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from pydantic import ValidationError

from summarizer import __version__
from summarizer.article import decode_article
from summarizer.errors import InputError
from summarizer.evaluation.gold import GoldFile
from summarizer.evaluation.report import ArticleReport, EvalReport, RunInfo, totals
from summarizer.evaluation.scoring import score_article
from summarizer.pipeline import Summarizer
from summarizer.schema import SCHEMA_VERSION, ArticleSummary
from summarizer.schema_upgrade import read_summary


@dataclass(frozen=True)
class EvalItem:
    """One gold file and the article it describes (None when no article directory was given)."""

    gold_path: Path
    gold: GoldFile
    article_path: Path | None


def find_articles(
    golds: Sequence[tuple[Path, GoldFile]], directories: Sequence[Path], *, required: bool
) -> list[EvalItem]:
    """Look for each gold file's article in ``directories`` (first match wins)."""
    for directory in directories:
        if not directory.is_dir():
            reason = "no such articles directory" if not directory.exists() else "is not a directory"
            raise InputError(reason, origin=str(directory))
    items = []
    for gold_path, gold in golds:
        found = next((d / gold.article for d in directories if (d / gold.article).is_file()), None)
        if found is None and required:
            searched = ", ".join(str(d) for d in directories)
            raise InputError(
                f"its article {gold.article} is in none of the articles directories ({searched})", origin=str(gold_path)
            )
        items.append(EvalItem(gold_path, gold, found))
    return items


def read_article(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=str(path)) from None
    return decode_article(data, origin=str(path))


class SummaryProvider(Protocol):
    mode: Literal["pipeline", "summaries"]

    def summary_for(self, item: EvalItem, article: str | None) -> tuple[ArticleSummary, str | None]:
        """The summary and the file it was read from (None when it was made in this run)."""
        ...


class PipelineProvider:
    """Summarize through the normal pipeline, so the cache and the configured backend apply."""

    mode: Literal["pipeline", "summaries"] = "pipeline"

    def __init__(self, summarizer: Summarizer, prompt_version: str | None = None):
        self.summarizer = summarizer
        self.prompt_version = prompt_version
        self.prompt = summarizer.prompt(prompt_version)  # an unknown version fails before any article runs

    def summary_for(self, item: EvalItem, article: str | None) -> tuple[ArticleSummary, str | None]:
        if article is None:  # find_articles(required=True) guarantees an article in this mode
            raise InputError("no article to summarize", origin=str(item.gold_path))
        summary = self.summarizer.summarize(article, prompt_version=self.prompt_version, origin=str(item.article_path))
        return summary, None

    def run_info(self) -> RunInfo:
        return RunInfo(
            prompt_name=self.prompt.name,
            prompt_version=self.prompt.version,
            prompt_sha256=self.prompt.sha256,
            schema_version=SCHEMA_VERSION,
            model=self.summarizer.llm.model,
            backend=self.summarizer.llm.backend,
            summarizer_version=__version__,
        )


class DirectoryProvider:
    """Read summaries made earlier: ``<directory>/<article-stem>.json``."""

    mode: Literal["pipeline", "summaries"] = "summaries"

    def __init__(self, directory: Path):
        if not directory.is_dir():
            reason = "no such summaries directory" if not directory.exists() else "is not a directory"
            raise InputError(reason, origin=str(directory))
        self.directory = directory

    def summary_for(self, item: EvalItem, article: str | None) -> tuple[ArticleSummary, str | None]:
        path = self.directory / f"{item.gold.article_stem}.json"
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("no such summary file", origin=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot be read ({exc})", origin=str(path)) from None
        try:
            return read_summary(raw), str(path)
        except ValueError as exc:
            if not isinstance(exc, ValidationError):
                raise InputError(f"is not valid JSON ({exc})", origin=str(path)) from None
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "the file"
            raise InputError(f"not an ArticleSummary: {where}: {first['msg']}", origin=str(path)) from None


def evaluate_item(item: EvalItem, provider: SummaryProvider) -> ArticleReport:
    """Score one article; any failure becomes a ``failed`` report naming the file."""
    started = time.perf_counter()
    article: str | None = None
    summary: ArticleSummary | None = None
    summary_file: str | None = None
    error: str | None = None
    warnings: list[str] = []
    try:
        article = read_article(item.article_path) if item.article_path is not None else None
        summary, summary_file = provider.summary_for(item, article)
    except Exception as exc:  # one article's failure must not stop the others; it is recorded instead
        error = _one_line(exc, item)
    seconds = round(time.perf_counter() - started, 3)
    checked_article = article
    if summary is not None and article is not None and _sha256(article) != summary.provenance.article_sha256:
        warnings.append("the summary was made from another text than the article file: grounding not re-checked")
        checked_article = None
    scored = score_article(item.gold, summary, checked_article)
    prov = summary.provenance if summary is not None else None
    return ArticleReport(
        article=item.gold.article,
        gold_file=str(item.gold_path),
        article_file=str(item.article_path) if item.article_path is not None else None,
        summary_file=summary_file,
        status="failed" if summary is None else "ok",
        error=error,
        warnings=warnings,
        seconds=seconds,
        latency_ms=prov.latency_ms if prov else None,
        llm_latency_ms=prov.llm_latency_ms if prov else None,
        cache_hit=prov.cache_hit if prov else None,
        attempts=prov.attempts if prov else None,
        tokens=prov.usage if prov else None,
        produced_by=_produced_by(summary) if summary is not None else None,
        scores=scored.scores,
        matches=scored.matches,
        grounding_mismatches=scored.grounding_mismatches,
        precision_misses=scored.precision_misses,
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _one_line(exc: Exception, item: EvalItem) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, InputError) or exc.origin is None:
        # Backend and extraction errors do not name the article: say which one failed.
        name = item.article_path or item.gold_path
        message = f"{name}: {message}"
    return message


def evaluate(
    items: Sequence[EvalItem],
    provider: SummaryProvider,
    *,
    gold_dir: Path,
    run_info: RunInfo | None = None,
    on_start: Callable[[int, EvalItem], None] | None = None,
    on_done: Callable[[ArticleReport], None] | None = None,
) -> EvalReport:
    """Evaluate every item in order; ``run_info`` defaults to what the summaries' provenance says."""
    started = time.perf_counter()
    created = datetime.now(UTC)
    reports: list[ArticleReport] = []
    for number, item in enumerate(items, start=1):
        if on_start is not None:
            on_start(number, item)
        report = evaluate_item(item, provider)
        reports.append(report)
        if on_done is not None:
            on_done(report)
    return EvalReport(
        created_at=created,
        mode=provider.mode,
        gold_dir=str(gold_dir),
        run=run_info or _info_from_articles(reports),
        totals=totals(reports, time.perf_counter() - started),
        articles=reports,
    )


def _produced_by(summary: ArticleSummary) -> RunInfo:
    prov = summary.provenance
    return RunInfo(
        prompt_name=prov.prompt_name,
        prompt_version=prov.prompt_version,
        prompt_sha256=prov.prompt_sha256,
        schema_version=prov.schema_version,
        model=prov.model,
        backend=prov.backend,
        summarizer_version=prov.summarizer_version,
    )


def _info_from_articles(reports: Sequence[ArticleReport]) -> RunInfo:
    """Run-level fields from the summaries' provenance: a value they disagree on reads "mixed: a, b"."""
    infos = [r.produced_by for r in reports if r.produced_by is not None]

    def agreed(field: str) -> str | None:
        distinct = sorted({value for info in infos if (value := getattr(info, field)) is not None})
        if not distinct:
            return None
        return distinct[0] if len(distinct) == 1 else "mixed: " + ", ".join(distinct)

    return RunInfo(
        prompt_name=agreed("prompt_name"),
        prompt_version=agreed("prompt_version"),
        prompt_sha256=agreed("prompt_sha256"),
        schema_version=agreed("schema_version"),
        model=agreed("model"),
        backend=agreed("backend"),
        summarizer_version=agreed("summarizer_version") or __version__,
    )
