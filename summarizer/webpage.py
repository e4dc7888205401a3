"""Articles as users have them: a saved or fetched HTML page, its article taken out with trafilatura.

The page's article text is what gets summarized, so every offset of the summary refers to that text
(the review page shows it). The page's title, publication date, site name and URL become the article's
metadata where the caller gave none, and so does its byline. A page with no article body (a front page,
a login wall) is an ``InputError``, never an empty summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from summarizer.errors import InputError
from summarizer.schema import ARTICLE_META_FIELDS

HTML_SUFFIXES = (".html", ".htm")
HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
MIN_BODY_CHARS = 200  # shorter than a paragraph: navigation, a teaser, a cookie notice, not an article


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    published_at: str | None = None  # ISO date, as trafilatura reads it from the page's metadata
    byline: str | None = None
    site: str | None = None
    url: str | None = None

    def metadata(self, given: Mapping[str, str | None] | None = None) -> dict[str, str | None]:
        """The article's metadata (``ArticleMeta``'s fields): what the caller gave, else what the page says."""
        page = {"title": self.title, "url": self.url, "source": self.site, "published_at": self.published_at,
                "byline": self.byline}  # fmt: skip
        given = given or {}
        return {name: given.get(name) or page[name] for name in ARTICLE_META_FIELDS}


def read_page(html: str | bytes, *, url: str | None = None, origin: str | None = None) -> Page:
    """The article of an HTML page; ``InputError`` when the page has none (or is not HTML)."""
    import trafilatura  # lxml and its helpers: only for pages

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text) < MIN_BODY_CHARS:
        raise InputError(
            "the page has no article body that could be taken out (a front page, a list of links, or a page "
            "that needs a browser or a login); save the article's own page, or give its text",
            origin=origin,
        )
    return Page(
        text=text,
        title=_field(document, "title"),
        published_at=_field(document, "date"),
        byline=_field(document, "author"),
        site=_field(document, "sitename"),
        url=url or _field(document, "url"),
    )


def fetch_page(url: str, *, timeout_s: float = 20.0) -> Page:
    """Download ``url`` and read its article (``summarizer summarize --url``); ``InputError`` on failure."""
    import httpx2

    if not url.startswith(("http://", "https://")):
        raise InputError("is not an http(s) URL", origin=url)
    try:
        response = httpx2.get(url, timeout=timeout_s, follow_redirects=True, headers={"User-Agent": "summarizer"})
    except httpx2.HTTPError as exc:
        raise InputError(f"cannot be fetched: {exc}", origin=url) from None
    if response.status_code >= 400:
        raise InputError(f"cannot be fetched: HTTP {response.status_code}", origin=url)
    return read_page(response.content, url=str(response.url), origin=url)


def is_html(name: str) -> bool:
    return name.lower().endswith(HTML_SUFFIXES)


def _field(document: object, name: str) -> str | None:
    value = getattr(document, name, None)
    return str(value).strip() or None if value else None
