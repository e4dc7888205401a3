"""The evaluation report: its model, JSON files, and the comparison of two reports.

Report formats: "2" added the precision figures (``Scores.casualty_precision``,
``Scores.attribution_precision``) and ``ArticleReport.precision_misses``; "1" has neither. Both are
read: a format "1" report loads with its precision figures None ("not measured"), shown as "-".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from summarizer.errors import InputError
from summarizer.evaluation.scoring import FactMatch, Ratio, Scores
from summarizer.schema import Usage


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunInfo(_Model):
    """What produced the summaries. In --summaries mode a field several summaries disagree on reads "mixed: ..."."""

    prompt_name: str | None
    prompt_version: str | None
    prompt_sha256: str | None
    schema_version: str | None
    model: str | None
    backend: str | None
    summarizer_version: str


class ArticleReport(_Model):
    article: str  # the gold file's "article" field
    gold_file: str
    article_file: str | None  # None in --summaries mode without --articles
    summary_file: str | None  # only in --summaries mode
    status: Literal["ok", "failed"]
    error: str | None = None
    warnings: list[str] = []
    seconds: float | None = None  # wall time to get the summary in this run
    latency_ms: float | None = None  # from the summary's provenance (a cache hit is fast)
    llm_latency_ms: float | None = None  # the LLM call that produced the result (also on a cache hit)
    cache_hit: bool | None = None
    attempts: int | None = None
    tokens: Usage | None = None
    produced_by: RunInfo | None = None  # from the summary's provenance
    scores: Scores
    matches: list[FactMatch]
    grounding_mismatches: list[str] = []
    precision_misses: list[str] = []  # extracted items counted wrong by the precision figures (format "2")


class Totals(_Model):
    """Figures pooled over every article; a failed article's gold facts count as missed."""

    articles: int
    failed: int
    cache_hits: int
    seconds: float  # wall time of the whole run
    tokens: Usage
    scores: Scores


REPORT_FORMAT: Literal["2"] = "2"


class EvalReport(_Model):
    report_format: Literal["1", "2"] = REPORT_FORMAT  # bump on incompatible changes; see the module docstring
    created_at: datetime
    mode: Literal["pipeline", "summaries"]
    gold_dir: str
    run: RunInfo
    totals: Totals
    articles: list[ArticleReport]

    @model_validator(mode="after")
    def _precision_from_format_2(self) -> Self:
        if self.report_format != "1" and not all(_has_precision(s) for s in self._all_scores()):
            raise ValueError(f"a format {self.report_format} report gives precision in every score")
        return self

    def _all_scores(self) -> list[Scores]:
        return [self.totals.scores, *(a.scores for a in self.articles)]

    @property
    def has_precision(self) -> bool:
        """False for reports written before precision was measured (format "1")."""
        return _has_precision(self.totals.scores)


def _has_precision(scores: Scores) -> bool:
    return scores.casualty_precision is not None and scores.attribution_precision is not None


def totals(articles: Sequence[ArticleReport], seconds: float) -> Totals:
    if not articles:
        raise ValueError("a report needs at least one article")
    scores = articles[0].scores
    for article in articles[1:]:
        scores = scores + article.scores
    tokens = Usage()
    for article in articles:
        tokens = tokens + (article.tokens or Usage())
    return Totals(
        articles=len(articles),
        failed=sum(a.status == "failed" for a in articles),
        cache_hits=sum(bool(a.cache_hit) for a in articles),
        seconds=round(seconds, 3),
        tokens=tokens,
        scores=scores,
    )


def write_report(report: BaseModel, path: Path) -> None:
    """Write the report as indented JSON; an unwritable path is an ``InputError`` naming it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror}", origin=str(path)) from None


def read_report(path: Path) -> EvalReport:
    """Read a report written by ``write_report``; every failure is an ``InputError`` naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such report file", origin=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"is not a readable JSON report ({exc})", origin=str(path)) from None
    try:
        return EvalReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise InputError(f"not an evaluation report: {where}: {first['msg']}", origin=str(path)) from None


# --- comparison ---------------------------------------------------------------------------------


class ComparisonRow(_Model):
    metric: str
    kind: Literal["ratio", "value"]  # a ratio's a/b/delta are shares (0-1); a value's are plain numbers
    a: float | None
    b: float | None
    delta: float | None  # b - a
    a_detail: str  # "hits/total" for a ratio, the value otherwise
    b_detail: str
    higher_is_better: bool


class Comparison(_Model):
    rows: list[ComparisonRow]
    notes: list[str]  # reasons the totals may not be comparable


_RATIOS = {
    "actors": "actor recall",
    "events": "event recall",
    "casualties": "casualty recall",
    "statements": "statement recall",
    "overall": "overall fact recall",
    "casualty_precision": "casualty precision",
    "attribution_precision": "statement attribution precision",
    "verbatim_quotes_found": "verbatim quotes found",
    "casualty_numbers_found": "casualty numbers found",
    "instruments": "instruments found (extended gold)",
    "modality": "modality right (extended gold)",
    "time_frame": "time frame right (extended gold)",
    "dateline": "dateline place (extended gold)",
    "not_furniture": "actors and speakers not page furniture (extended gold)",
}


def compare(a: EvalReport, b: EvalReport) -> Comparison:
    """Totals of two reports side by side, with ``b - a`` deltas; a figure a report lacks reads "-"."""
    rows = []
    for field, label in _RATIOS.items():
        ra: Ratio | None = getattr(a.totals.scores, field)
        rb: Ratio | None = getattr(b.totals.scores, field)
        share_a = ra.share if ra is not None else None
        share_b = rb.share if rb is not None else None
        rows.append(
            ComparisonRow(
                metric=label,
                kind="ratio",
                a=share_a,
                b=share_b,
                delta=_delta(share_a, share_b),
                a_detail=_fraction(ra),
                b_detail=_fraction(rb),
                higher_is_better=True,
            )
        )
    plain: list[tuple[str, float | None, float | None, bool]] = [
        (
            "grounded but not in article",
            a.totals.scores.grounded_not_in_article,
            b.totals.scores.grounded_not_in_article,
            False,
        ),
        ("failed articles", a.totals.failed, b.totals.failed, False),
        ("seconds", a.totals.seconds, b.totals.seconds, False),
        ("tokens", a.totals.tokens.total_tokens, b.totals.tokens.total_tokens, False),
    ]
    for label, va, vb, better in plain:
        rows.append(
            ComparisonRow(
                metric=label,
                kind="value",
                a=va,
                b=vb,
                delta=_delta(va, vb),
                a_detail=_plain(va),
                b_detail=_plain(vb),
                higher_is_better=better,
            )
        )
    return Comparison(rows=rows, notes=_notes(a, b))


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 4)


def _fraction(ratio: Ratio | None) -> str:
    return "-" if ratio is None else f"{ratio.hits}/{ratio.total}"


def _plain(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _notes(a: EvalReport, b: EvalReport) -> list[str]:
    notes = []
    only_a = sorted({x.article for x in a.articles} - {x.article for x in b.articles})
    only_b = sorted({x.article for x in b.articles} - {x.article for x in a.articles})
    if only_a or only_b:
        notes.append(
            f"the reports cover different articles (only in A: {', '.join(only_a) or '-'}; "
            f"only in B: {', '.join(only_b) or '-'})"
        )
    elif a.totals.scores.overall.total != b.totals.scores.overall.total:
        notes.append("the reports count different numbers of gold facts: the gold files changed between them")
    unmeasured = [name for name, report in (("A", a), ("B", b)) if not report.has_precision]
    if unmeasured:
        notes.append(
            f"{' and '.join(unmeasured)} predate{'s' if len(unmeasured) == 1 else ''} the precision figures "
            "(report format 1): no precision to compare"
        )
    return notes
