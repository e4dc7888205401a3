"""The ``summarizer review`` command: a summary's review page as one HTML file that opens from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.api.store import ResultStore
from summarizer.console import fail, note, settings_or_fail
from summarizer.errors import InputError, StorageError
from summarizer.review.export import export_page, read_article_file, read_summary_file, write_page
from summarizer.schema import ArticleSummary


def review_command(
    summary_file: Annotated[Path, typer.Argument(metavar="SUMMARY.json", help="A summary as JSON (CLI or API output)")],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="The HTML file to write")],
    article: Annotated[
        Path | None,
        typer.Option(
            "--article",
            metavar="FILE",
            help="The article the summary was made of (default: its text in the API's stored results)",
        ),
    ] = None,
) -> None:
    """Write a summary's review page (evidence highlighted on its article) as one self-contained HTML file."""
    try:
        summary = read_summary_file(summary_file)
        text = read_article_file(article, summary) if article is not None else _stored_text(summary_file, summary)
        page = export_page(summary, text)
        write_page(page.html, out)
    except InputError as exc:
        fail(str(exc))
    note(f"wrote {out}: {page.highlighted} pieces of evidence highlighted, {len(page.html) // 1024} kB")


def _stored_text(summary_file: Path, summary: ArticleSummary) -> str:
    """The article's text from the REST API's stored results (where ``POST /v1/summaries`` keeps it)."""
    path = settings_or_fail().resolved_store_path()
    text = None
    if path.exists():  # never create a database just to look into it
        try:
            text = ResultStore(path).article_text(summary)
        except StorageError:
            text = None
    if text is None:
        raise InputError(
            "the article's text is needed to place its evidence: give --article FILE (the text it was made of)",
            origin=str(summary_file),
        )
    return text
