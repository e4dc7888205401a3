"""Ten saved news pages of ten sites: their article taken out as reviewed, and summarized from the HTML
with the same facts as from their extracted text (recorded answers of the embedded model)."""

from __future__ import annotations

import pytest

from summarizer.normalize import furniture_spans, normalize
from summarizer.schema import ArticleMeta, ArticleSummary
from summarizer.settings import Settings
from tests.api_support import build_app, client_for
from tests.conftest import RECORDINGS
from tests.saved_pages import CHECKS, extracted_text, html_of, saved_page
from tests.test_webpage import facts


def test_ten_pages_of_ten_sites_give_the_reviewed_article_text() -> None:
    assert len(CHECKS) == 10
    assert len({saved_page(name).site for name in CHECKS}) == 10
    for name, checks in CHECKS.items():
        page = saved_page(name)
        assert page.text == extracted_text(name), name
        assert page.title and page.published_at, name
        for passage in checks["with"]:
            assert passage in page.text, (name, passage)
        text = normalize(page.text).text
        furniture = furniture_spans(text)
        for passage in checks["without"]:
            # page furniture is absent, or found as furniture: kept out of every fact
            start = text.find(passage)
            assert start < 0 or any(a <= start and start + len(passage) <= b for a, b in furniture), (name, passage)


def test_bylines_of_the_pages_are_kept_as_their_articles() -> None:
    assert saved_page("bostonherald.com-Brothel-catering").byline == "Grace Zokovitch"
    assert saved_page("telegraph.co.uk.plumber").metadata()["byline"] == "Poppie Platt"


@pytest.mark.anyio
async def test_a_page_posted_as_html_gives_the_facts_of_its_extracted_text(settings: Settings) -> None:
    replayed = settings.model_copy(update={"backend": "replay", "replay_dir": RECORDINGS})
    async with client_for(build_app(replayed)) as client:
        for name in CHECKS:
            page = saved_page(name)
            from_html = await client.post(
                "/v1/summaries/page", content=html_of(name), headers={"content-type": "text/html"}
            )
            assert from_html.status_code == 200, (name, from_html.text)
            as_text = {"text": extracted_text(name), **page.metadata()}
            from_text = await client.post("/v1/summaries", json=as_text)
            assert from_text.status_code == 200, (name, from_text.text)
            html_summary = ArticleSummary.model_validate(from_html.json())
            text_summary = ArticleSummary.model_validate(from_text.json())
            assert facts(html_summary) == facts(text_summary), name
            assert html_summary.article == text_summary.article
            assert html_summary.article.byline == page.byline
            for fact in [*html_summary.actors, *html_summary.actions, *html_summary.statements]:
                start, end = fact.evidence.start, fact.evidence.end
                if start is not None and end is not None:  # offsets refer to the extracted text
                    assert page.text[start:end] == fact.evidence.text, name


def test_a_byline_enters_a_results_id_only_when_given() -> None:
    """``byline`` came after schema v1: results made without one keep the ids they had."""
    given = ArticleMeta(id="a", title="T", source="Wire")
    assert "byline" not in given.key_data() and given.key_data()["title"] == "T"
    assert ArticleMeta(id="a", byline="Jane Doe").key_data()["byline"] == "Jane Doe"
