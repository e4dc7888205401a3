"""The review pages in a real browser: Debian's headless Chromium, driven by Playwright for Python.

Playwright's own browser download is not used (``executable_path`` points at the system's chromium).
Without chromium or playwright these tests skip, saying why; under CI (``CI=true``) they fail instead.
Screenshots go to ``artifacts/screenshots/`` (git-ignored; CI keeps the folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from summarizer.cli import app as cli
from summarizer.settings import Settings
from tests.api_support import build_app, live_server
from tests.conftest import ROOT, SEEDS
from tests.review_support import (
    XSS_ARTICLE,
    highlighted_evidence,
    seed_story_set,
    seed_summary,
    store,
    xss_summary,
)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, and the browser tests cannot run: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def chromium_path() -> str | None:
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[dev]')")
    executable = chromium_path()
    if executable is None:
        _missing("no chromium on PATH (apt-get install chromium; .ci/run installs it)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield instance
        instance.close()


@dataclass
class Watched:
    """What a page did: every request, dialog, console error and uncaught error."""

    page: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    seen = Watched(page)
    page.on("request", lambda request: seen.requests.append(request.url))

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    yield seen
    context.close()


def highlighted_ids(page: Any) -> set[str]:
    values: list[str] = page.eval_on_selector_all("#article mark.hl", "marks => marks.map(m => m.dataset.ev)")
    return {ev for value in values for ev in value.split()}


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def summary_rules(summary: Any) -> dict[str, list[str]]:
    """The rules of each fact by its id on the page (f1, f2, ... in the summary's order)."""
    facts = (*summary.actors, *summary.actions, *summary.casualties, *summary.statements)
    return {f"f{number}": fact.rules for number, fact in enumerate(facts, 1)}


def first_located_fact(page: Any) -> str:
    """The id of the first fact in the panel with words in the article."""
    ids: list[str] = page.eval_on_selector_all(
        "#article [data-facts]", "els => els.flatMap(e => e.dataset.facts.split(' '))"
    )
    return sorted(set(ids), key=lambda fact: int(fact[1:]))[0]


def test_seed_000_highlights_its_evidence_and_a_picked_fact_marks_its_words(
    settings: Settings, watched: Watched
) -> None:
    summary, text = seed_summary(settings)
    store(settings, summary, text)
    page = watched.page
    with live_server(build_app(settings)) as base:
        page.goto(f"{base}/review/summaries/{summary.id}")
        assert len(highlighted_ids(page)) == highlighted_evidence(summary) > 20

        # A fact chosen in the panel marks every piece of its words and scrolls the first into view.
        fact = page.eval_on_selector_all(
            "#article mark.hl", "ms => ms[ms.length - 1].dataset.facts.split(' ')[0]"
        )  # the last highlight's fact: below the fold, so picking it must scroll
        page.click(f"#fact-{fact} button.pick")
        selected = page.eval_on_selector_all("#article .selected", "els => els.map(e => e.dataset.facts.split(' '))")
        expected = page.eval_on_selector_all(
            "#article [data-facts]", f"els => els.filter(e => e.dataset.facts.split(' ').includes('{fact}')).length"
        )
        assert selected and all(fact in facts for facts in selected) and len(selected) == expected
        assert page.get_attribute(f"#fact-{fact} button.pick", "aria-pressed") == "true"
        box = page.locator("#article .selected").first.bounding_box()
        article = page.locator("#article").bounding_box()
        assert article["y"] <= box["y"] <= article["y"] + article["height"]  # scrolled into view
        screenshot(page, "summary-seed-000.png")

        # Hovering a highlight shows its facts: in its tooltip, and marked in the panel.
        mark = page.locator("#article mark.hl").first
        mark.hover()
        first = mark.get_attribute("data-facts").split()[0]
        assert page.locator(f"#fact-{first}").get_attribute("class").split().count("hovered") == 1
        label = page.locator(f"#fact-{first} button.pick").inner_text()
        assert label.strip() in mark.get_attribute("title")
        fact = next(f for f in (*summary.actors, *summary.actions, *summary.casualties, *summary.statements) if f.rules)
        assert f"rules: {', '.join(summary_rules(summary)[first])}" in mark.get_attribute("title")  # and their rules

        # Hovering a fact in the panel shows the rules that found and shaped it.
        button = page.locator(f"#fact-{first} button.pick")
        button.hover()
        assert button.get_attribute("title") == f"rules: {', '.join(summary_rules(summary)[first])}"
        assert fact.rules and page.locator("#facts .rules code").count() >= len(fact.rules)
    assert all(url.startswith(base) for url in watched.requests), watched.requests
    assert watched.errors == [] and watched.dialogs == []


def test_the_hostile_article_runs_nothing(settings: Settings, watched: Watched) -> None:
    summary = xss_summary()
    store(settings, summary, XSS_ARTICLE)
    page = watched.page
    with live_server(build_app(settings)) as base:
        page.goto(f"{base}/review/summaries/{summary.id}")
        page.click(f"#fact-{first_located_fact(page)} button.pick")  # the page's own script runs
        page.locator("#article mark.hl").first.hover()
        page.wait_for_timeout(200)  # time for anything injected to fire
        assert page.locator("#article .selected").count() > 0
        assert page.evaluate("() => window.__xss") is None
        assert page.locator("script").count() == 1 and page.locator("img, svg, textarea, iframe").count() == 0
        assert "<script>window.__xss = 1;" in page.locator("#article").inner_text()
        assert len(highlighted_ids(page)) == highlighted_evidence(summary)
        screenshot(page, "summary-hostile.png")
    assert watched.dialogs == [] and watched.errors == []
    assert all(url.startswith(base) for url in watched.requests), watched.requests


def test_the_page_is_usable_from_the_keyboard(settings: Settings, watched: Watched) -> None:
    summary, text = seed_summary(settings)
    store(settings, summary, text)
    page = watched.page
    with live_server(build_app(settings)) as base:
        page.goto(f"{base}/review/summaries/{summary.id}")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
        for _ in range(10):  # past the skip link, the site link and the article to the first fact
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('pick')"):
                break
        focused = page.evaluate("() => document.activeElement.dataset.fact")
        assert focused, "no fact button reached with Tab"
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")  # the focus is visible
        page.keyboard.press("Enter")
        assert page.get_attribute(f"#fact-{focused} button.pick", "aria-pressed") == "true"
        assert page.locator("#selection-status").inner_text().endswith("marked in the article")
    assert watched.errors == []


def test_the_static_export_opens_from_disk_with_no_request(
    settings: Settings, watched: Watched, tmp_path: Path
) -> None:
    summary, _ = seed_summary(settings)
    summary_file = tmp_path / "summary.json"
    summary_file.write_text(summary.model_dump_json(), encoding="utf-8")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["review", str(summary_file), "--article", str(SEEDS[0]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = watched.page
    page.goto(out.as_uri())
    assert len(highlighted_ids(page)) == highlighted_evidence(summary)
    page.click(f"#fact-{first_located_fact(page)} button.pick")  # its inline script runs under its own CSP
    assert page.locator("#article .selected").count() > 0
    assert watched.requests == [out.as_uri()]
    assert watched.errors == [] and watched.dialogs == []


def test_the_story_page_draws_its_ledgers(settings: Settings, watched: Watched) -> None:
    story_set = seed_story_set(settings)
    figures = sum(1 for story in story_set.stories for line in story.ledger for f in line.figures if f.low is not None)
    page = watched.page
    with live_server(build_app(settings)) as base:
        page.goto(f"{base}/review/stories/{story_set.id}")
        assert page.locator("svg circle.figure").count() >= figures  # every numbered figure is drawn
        strikes = next(  # the 2019 strikes: 25 killed, three outlets
            i for i, s in enumerate(story_set.stories, start=1) if any(line.reconciled.low == 25 for line in s.ledger)
        )
        page.click(f"a[href='#story-{strikes}']")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(f"#story-{strikes}").screenshot(path=str(SCREENSHOTS / "story-seeds.png"))
        page.click(f"#story-{strikes} a[href^='/review/summaries/']")  # to a report's summary page
        page.wait_for_selector("#article mark.hl")
    assert all(url.startswith(base) for url in watched.requests), watched.requests
    assert watched.errors == [] and watched.dialogs == []
