"""The static export: one summary page as a self-contained HTML file (inline CSS and JS, no requests).

The page is the server's page (same template, same context) without the site navigation, with its
Content-Security-Policy in a <meta> element, since a file opened from disk has no response headers.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from summarizer.article import decode_article, text_sha256
from summarizer.errors import InputError
from summarizer.review.pages import SUMMARY_TEMPLATE, summary_context
from summarizer.review.render import render
from summarizer.schema import ArticleSummary
from summarizer.stories.inputs import summary_from


def read_summary_file(path: Path) -> ArticleSummary:
    """A summary JSON file (any schema version this code reads); a bad file is a one-line ``InputError``."""
    origin = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", origin=origin) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", origin=origin) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=origin) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno}: not valid JSON ({exc.msg})", origin=origin) from None
    return summary_from(data, origin=origin)


def read_article_file(path: Path, summary: ArticleSummary) -> str:
    """The article ``summary`` was made of, from ``path``: refused when it is another text."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", origin=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=str(path)) from None
    text = decode_article(data, origin=str(path))
    if text_sha256(text) != summary.provenance.article_sha256:
        raise InputError(
            "is not the article this summary was made of (its sha256 differs from provenance.article_sha256)",
            origin=str(path),
        )
    return text


@dataclass(frozen=True)
class Page:
    html: str
    highlighted: int  # pieces of evidence highlighted on the article


def export_page(summary: ArticleSummary, text: str) -> Page:
    """The self-contained page of ``summary`` over ``text`` (its original article)."""
    context = summary_context(summary, text, standalone=True)
    return Page(render(SUMMARY_TEMPLATE, context), context["counts"]["highlighted"])


def write_page(html: str, out: Path) -> None:
    """Write ``html`` to ``out`` whole or not at all (a failed write leaves an earlier file as it was)."""
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_text(html, encoding="utf-8")
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"cannot be written: {exc.strerror}", origin=str(out)) from None
