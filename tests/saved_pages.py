"""Ten saved news pages of ten sites (``tests/data/pages``, from trafilatura's evaluation set, Apache-2.0;
see the folder's README): each page gzipped as saved, the article text trafilatura takes out of it (reviewed,
committed beside it) and trafilatura's own hand-made checks of that text (``pages.json``: passages the text
must hold, ``with``, and page furniture it must not, ``without``).

``python -m tests.saved_pages`` records the embedded model's answers to them (``make recordings``)."""

from __future__ import annotations

import gzip
import json
import tempfile
from functools import cache
from pathlib import Path

from summarizer.schema import ArticleMeta
from summarizer.webpage import Page, read_page

PAGES = Path(__file__).parent / "data" / "pages"
CHECKS: dict[str, dict[str, list[str]]] = json.loads((PAGES / "pages.json").read_text(encoding="utf-8"))


def html_of(name: str) -> bytes:
    return gzip.decompress((PAGES / f"{name}.html.gz").read_bytes())


def extracted_text(name: str) -> str:
    """The page's article text as reviewed and committed (the file ends with a line break; the text not)."""
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8").removesuffix("\n")


@cache
def saved_page(name: str) -> Page:
    return read_page(html_of(name), origin=f"{name}.html")


def record() -> None:
    """Record the embedded model's answers to each page's article, as the HTML entry points ask them."""
    from summarizer import Summarizer
    from summarizer.settings import Settings

    recordings = Path(__file__).parent / "recordings"
    data_dir = Path(tempfile.mkdtemp(prefix="summarizer-pages-"))
    summarizer = Summarizer(Settings(data_dir=data_dir, backend="embedded", record_dir=recordings))
    for name in CHECKS:
        page = saved_page(name)
        summary = summarizer.summarize(page.text, article=ArticleMeta(**page.metadata()), use_cache=False)
        print(f"{name}: {len(summary.actions)} actions, {len(summary.statements)} statements")


if __name__ == "__main__":
    record()
