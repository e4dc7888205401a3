"""Articles as users have them: saved news pages of ten layouts, their article taken out with trafilatura,
summarized with the same facts as their extracted text, and a page with no article refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import InputError
from summarizer.normalize import normalize
from summarizer.rules.explain import code_only_summary
from summarizer.schema import ArticleSummary
from summarizer.settings import Settings
from summarizer.webpage import Page, read_page
from tests.api_support import build_app, client_for
from tests.fake_openai_server import fake_openai_server
from tests.fakes import Script, ok
from tests.test_api_errors import assert_problem
from tests.webpages import EMPTY_PAGE, LAYOUTS, page

NEWS = sorted((Path(__file__).parent / "data" / "news").glob("*.txt"))[: len(LAYOUTS)]
FURNITURE = (
    "Accept all",
    "Share on Facebook",
    "Sign up for our morning briefing",
    "Terrible news",
    "All rights reserved",
    "Markets rally",
    "Politics",
    "A file photo",
)


def article_parts(path: Path) -> tuple[str, list[str]]:
    """A headline and the paragraphs of a corpus article (its normalized text's lines)."""
    lines = [line for line in normalize(path.read_text(encoding="utf-8")).text.split("\n") if line.strip()]
    if len(lines[0]) < 120 and not lines[0].endswith("."):
        return lines[0], lines[1:]
    return "News report", lines


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, list[str], Page]]:
    made = []
    for layout, path in zip(LAYOUTS, NEWS, strict=True):
        headline, paragraphs = article_parts(path)
        html = page(layout, headline, paragraphs, byline="Jane Doe", date="2024-03-02", site="Example News")
        made.append((headline, paragraphs, read_page(html, origin=layout)))
    return made


def facts(summary: ArticleSummary) -> tuple[object, ...]:
    return (
        sorted((a.type.value, a.actors, a.targets, a.location or "", a.modality.value) for a in summary.actions),
        sorted((c.outcome.value, c.count.text, c.victims, c.reported_by or "") for c in summary.casualties),
        sorted((s.speaker, s.text, s.quote_check.value) for s in summary.statements),
        sorted(a.name for a in summary.actors),
    )


def test_ten_layouts_give_their_article_and_metadata_without_the_furniture(
    pages: list[tuple[str, list[str], Page]],
) -> None:
    for headline, paragraphs, found in pages:
        for paragraph in paragraphs:
            assert paragraph in found.text, (found.title, paragraph[:60])
        for furniture in FURNITURE:
            assert furniture not in found.text, (found.title, furniture)
        assert found.title == headline
        assert (found.published_at, found.byline, found.site) == ("2024-03-02", "Jane Doe", "Example News")


def test_a_page_is_summarized_with_the_same_facts_as_its_article_text(
    pages: list[tuple[str, list[str], Page]],
) -> None:
    for headline, paragraphs, found in pages:
        from_page = code_only_summary(found.text)
        # the layouts that keep the headline in the article's text give it first, as the corpus has it
        told = [headline, *paragraphs] if found.text.startswith(headline + "\n") else paragraphs
        from_text = code_only_summary("\n".join(told))
        assert facts(from_page) == facts(from_text), headline
        for action in from_page.actions:  # offsets refer to the extracted text
            if action.evidence.start is not None and action.evidence.end is not None:
                assert found.text[action.evidence.start : action.evidence.end] == action.evidence.text


def test_a_page_with_no_article_body_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the page has no article body"):
        read_page(EMPTY_PAGE, origin="front.html")
    front = tmp_path / "front.html"
    front.write_text(EMPTY_PAGE)
    result = CliRunner().invoke(app, ["summarize", str(front)])
    assert result.exit_code == 2 and f"{front}: the page has no article body" in result.output.replace("\n", " ")
    neither = CliRunner().invoke(app, ["summarize"])
    assert neither.exit_code == 2 and "give one article" in neither.output


PAGE_TEXT = [
    "Pentagon spokesman Jonathan Hoffman said in a statement that U.S. forces struck five Kata'ib Hezbollah "
    "sites in Iraq and Syria.",
    "The strikes followed a rocket attack on a base near Kirkuk that killed a U.S. contractor, officials said.",
    "Iraq's government said it would review its relations with the coalition after the strikes.",
]


def test_a_batch_folder_of_pages_keeps_each_pages_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n, layout in enumerate(("broadsheet", "agency")):
        html = page(layout, f"Strikes in Iraq {n}", PAGE_TEXT, byline="Jane Doe", date=f"2024-03-0{n + 1}", site="Wire")
        (folder / f"p{n}.html").write_text(html, encoding="utf-8")
    (folder / "front.html").write_text(EMPTY_PAGE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "SUMMARIZER_API_KEY": "x", "SUMMARIZER_DATA_DIR": str(tmp_path / "data")}
    with fake_openai_server() as server:
        command = [sys.executable, "-m", "summarizer.cli", "batch", str(folder), "--out", str(out)]
        command += ["--backend", "openai", "--base-url", server.base_url]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # one page failed: no article body
    summaries = [ArticleSummary.model_validate_json(line) for line in out.read_text().splitlines()]
    assert sorted(s.article.id or "" for s in summaries) == ["p0.html", "p1.html"]
    for summary in summaries:
        n = int((summary.article.id or "p9")[1])
        assert (summary.article.title, summary.article.source) == (f"Strikes in Iraq {n}", "Wire")
        assert summary.article.published_at == f"2024-03-0{n + 1}"
        grounded = [a for a in summary.actors if a.evidence.start is not None]
        assert grounded, "the facts ground in the page's article text"
    failures = [json.loads(line) for line in out.with_suffix(".failures.jsonl").read_text().splitlines()]
    assert [f["id"] for f in failures] == ["front.html"] and "no article body" in failures[0]["reason"]


@pytest.mark.anyio
async def test_the_api_summarizes_a_page_posted_as_html(settings: Settings) -> None:
    html = page("broadsheet", "Strikes in Iraq", PAGE_TEXT, byline="Jane Doe", date="2024-03-02", site="Wire")
    text = read_page(html).text
    async with client_for(build_app(settings, transport=Script([ok()]))) as client:
        made = await client.post(
            "/v1/summaries/page", content=html, headers={"content-type": "text/html; charset=utf-8"},
            params={"url": "https://example.org/strikes"},
        )  # fmt: skip
        empty = await client.post("/v1/summaries/page", content=EMPTY_PAGE, headers={"content-type": "text/html"})
        as_json = await client.post("/v1/summaries/page", json={"text": "x"})
    assert made.status_code == 200, made.text
    summary = ArticleSummary.model_validate(made.json())
    assert (summary.article.title, summary.article.source, summary.article.published_at) == (
        "Strikes in Iraq", "Wire", "2024-03-02"
    )  # fmt: skip
    assert summary.article.url == "https://example.org/strikes"
    grounded = [a for a in summary.actors if a.evidence.start is not None and a.evidence.end is not None]
    assert grounded and all(text[a.evidence.start : a.evidence.end] == a.evidence.text for a in grounded)
    assert str(assert_problem(empty, 422)["type"]).endswith("no-article-body")
    assert as_json.status_code == 415
