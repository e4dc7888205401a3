"""Review pages over HTTP: highlights at the evidence offsets, escaping, the CSP header, the key rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pydantic import SecretStr

from summarizer.api.csp import HEADER
from summarizer.review.highlights import Kind, facts_of, segments
from summarizer.review.render import assets
from summarizer.schema import GroundingStatus
from summarizer.settings import Settings
from tests import eval_helpers as make
from tests.api_support import build_app, client_for
from tests.review_support import (
    XSS_ARTICLE,
    highlighted_evidence,
    located,
    seed_story_set,
    seed_summary,
    store,
    xss_summary,
)

pytestmark = pytest.mark.anyio
KEY = "k-" + "review" * 4


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes; and the text of each <script> element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def highlight_ids(html: str) -> set[str]:
    ids: set[str] = set()
    for tag, attrs in parse(html).tags:
        if tag == "mark":
            ids.update((attrs.get("data-ev") or "").split())
    return ids


def summary_links(html: str) -> list[str]:
    return [str(a["href"]) for tag, a in parse(html).tags if tag == "a" and "/summaries/" in str(a.get("href"))]


def test_overlapping_spans_are_cut_at_every_boundary_and_keep_every_fact() -> None:
    text = "Pentagon spokesman Jonathan Hoffman said the strikes killed 25 fighters."
    hoffman = make.actor("Jonathan Hoffman", article=text)
    spokesman = make.actor("Pentagon spokesman Jonathan Hoffman", article=text)
    said = make.statement("Jonathan Hoffman", "Hoffman said the strikes", article=text)
    figure = make.casualty("fighters", "killed", 25, article=text)
    figure = figure.model_copy(update={"evidence": located(text, "the strikes killed 25 fighters")})
    summary = make.summary([hoffman, spokesman], [], [figure], [said], article_text=text)
    pieces = segments(text, facts_of(summary, len(text)))
    assert "".join(p.text for p in pieces) == text
    by_text = {p.text: {s.fact.kind.value + ":" + s.evidence.id for s in p.spans} for p in pieces}
    assert by_text["Pentagon spokesman "] == {"actor:e2"}
    assert by_text["Jonathan "] == {"actor:e1", "actor:e2"}
    assert by_text["Hoffman"] == {"actor:e1", "actor:e2", "statement:e5"}
    assert by_text[" said "] == {"statement:e5"}
    assert by_text["the strikes"] == {"statement:e5", "casualty:e3"}
    assert by_text["25"] == {"casualty:e3", "casualty:e4"}  # the count phrase inside its sentence
    assert next(p for p in pieces if p.text == "Hoffman").primary.evidence.id == "e1"  # the innermost colours it


def test_evidence_outside_the_text_is_listed_not_highlighted() -> None:
    text = "Five soldiers were killed."
    figure = make.casualty("soldiers", "killed", 5, text="Five", article=text)
    wild = figure.evidence.model_copy(update={"status": GroundingStatus.grounded, "start": 3, "end": 999})
    summary = make.summary([], [], [figure.model_copy(update={"evidence": wild})], [], article_text=text)
    facts = facts_of(summary, len(text))
    assert [ev.located for ev in facts[0].evidence] == [False, True]
    assert facts_of(summary, None)[0].evidence[1].located is False  # no text: nothing is located


async def test_seed_000_page_highlights_every_grounded_and_fuzzy_evidence(settings: Settings) -> None:
    async with client_for(build_app(settings)) as client:
        made = await client.post("/v1/summaries", json={"text": seed_summary(settings)[1]})
        summary_id = made.json()["id"]
        page = await client.get(f"/review/summaries/{summary_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    summary, _ = seed_summary(settings)
    assert summary.grounding.grounded > 20
    assert len(highlight_ids(page.text)) == highlighted_evidence(summary)
    assert f'<span id="highlight-count">{highlighted_evidence(summary)}</span>' in page.text
    for name in ("model", "prompt", "cache hit", "made"):  # the provenance footer
        assert f"<dt>{name}</dt>" in page.text


async def test_the_list_page_finds_summaries_and_links_to_them(settings: Settings) -> None:
    hostile = xss_summary()
    store(settings, hostile, XSS_ARTICLE)
    summary, text = seed_summary(settings)
    store(
        settings, summary.model_copy(update={"article": summary.article.model_copy(update={"title": "Pompeo"})}), text
    )
    async with client_for(build_app(settings)) as client:
        everything = await client.get("/review")
        found = await client.get("/review", params={"q": "pompeo"})
    newest_first = [f"/review/summaries/{summary.id}", "/review/summaries/sum_xss"]
    assert summary_links(everything.text) == newest_first
    assert summary_links(found.text) == [f"/review/summaries/{summary.id}"]
    assert "&lt;i&gt;Hostile&lt;/i&gt;" in everything.text


async def test_hostile_text_and_model_output_are_escaped(settings: Settings) -> None:
    summary = xss_summary()
    store(settings, summary, XSS_ARTICLE)
    async with client_for(build_app(settings)) as client:
        page = await client.get("/review/summaries/sum_xss")
    assert page.status_code == 200
    elements = parse(page.text)
    tags = [tag for tag, _ in elements.tags]
    assert tags.count("script") == 1 and elements.scripts == [assets().js]  # only the page's own script
    assert "img" not in tags and "svg" not in tags and "textarea" not in tags and "b" not in tags
    for tag, attrs in elements.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("javascript:" in (value or "") for name, value in attrs.items() if name in {"href", "src"})
    assert "&lt;script&gt;window.__xss = 1;" in page.text
    assert len(highlight_ids(page.text)) == highlighted_evidence(summary) == 6


async def test_every_html_response_carries_the_content_security_policy(settings: Settings) -> None:
    summary, text = seed_summary(settings)
    store(settings, summary, text)
    story_set = seed_story_set(settings)
    keyed = settings.model_copy(update={"api_keys": [SecretStr(KEY)]})
    async with client_for(build_app(settings)) as client:
        pages = [
            await client.get("/review"),
            await client.get(f"/review/summaries/{summary.id}"),
            await client.get(f"/review/stories/{story_set.id}"),
            await client.get("/docs"),
            await client.get("/docs/scalar"),
        ]
    async with client_for(build_app(keyed)) as client:
        pages.append(await client.get("/review"))  # 401: the key form
        pages.append(await client.post("/review/key", data={"key": "wrong"}))
    assert [p.status_code for p in pages] == [200, 200, 200, 200, 200, 401, 401]
    for page in pages:
        assert page.headers["content-type"].startswith("text/html"), page.url
        policy = page.headers[HEADER]
        assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
        if "/docs" not in str(page.url):
            assert policy == assets().policy()
            assert "unsafe-inline" not in policy and "http" not in policy
            assert re.search(r"script-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)", policy)


async def test_review_pages_follow_the_key_rule(settings: Settings) -> None:
    summary, text = seed_summary(settings)
    store(settings, summary, text)
    keyed = settings.model_copy(update={"api_keys": [SecretStr(KEY)]})
    path = f"/review/summaries/{summary.id}"
    async with client_for(build_app(keyed)) as client:
        anonymous = await client.get(path)
        by_header = await client.get(path, headers={"X-API-Key": KEY})
        in_url = await client.get(path, params={"api_key": KEY})
        cross_site = [
            await client.post("/review/key", data={"key": KEY}, headers=headers, follow_redirects=False)
            for headers in (
                {"Sec-Fetch-Site": "cross-site"},
                {"Sec-Fetch-Site": "same-site"},
                {"Origin": "https://evil.example"},
                {"Origin": "null"},
            )
        ]  # another site's page posting its key into the reader's browser
        same_site = await client.post(
            "/review/key", data={"key": KEY}, headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
        )
        client.cookies.clear()
        login = await client.post("/review/key", data={"key": KEY, "next": path}, follow_redirects=False)
        cookie = login.cookies.get("summarizer_api_key")
        by_cookie = await client.get(path)  # the client keeps the cookie, as a browser does
        client.cookies.set("summarizer_api_key", KEY)  # sent everywhere, as no browser would
        api_by_cookie = await client.get("/v1/summaries")
        elsewhere = await client.post(
            "/review/key", data={"key": KEY, "next": "//evil.example/"}, follow_redirects=False
        )
    assert anonymous.status_code == 401 and 'action="/review/key"' in anonymous.text and KEY not in anonymous.text
    assert [r.status_code for r in cross_site] == [403] * 4 and all("set-cookie" not in r.headers for r in cross_site)
    assert same_site.status_code == 303
    assert f'value="{path}"' in anonymous.text  # back to this page after the key
    assert by_header.status_code == 200
    assert in_url.status_code == 400
    assert login.status_code == 303 and login.headers["location"] == path and cookie == KEY
    set_cookie = login.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie and "path=/review" in set_cookie
    assert by_cookie.status_code == 200
    assert api_by_cookie.status_code == 401  # the cookie opens the review pages only
    assert elsewhere.headers["location"] == "/review"


async def test_a_summary_stored_without_its_text_lists_its_facts(settings: Settings) -> None:
    summary, text = seed_summary(settings)
    store(settings, summary, text + " (a different text)")  # not the text it was made of: not kept
    async with client_for(build_app(settings)) as client:
        page = await client.get(f"/review/summaries/{summary.id}")
        missing = await client.get("/review/summaries/sum_nothing")
    assert page.status_code == 200 and "was not stored with this summary" in page.text
    assert highlight_ids(page.text) == set()
    assert page.text.count('class="pick"') == sum(f.kind is not Kind.flagged for f in facts_of(summary, None))
    assert missing.status_code == 404


async def test_the_story_page_shows_every_figure_of_the_ledger_and_its_chart(settings: Settings) -> None:
    story_set = seed_story_set(settings)
    async with client_for(build_app(settings)) as client:
        page = await client.get(f"/review/stories/{story_set.id}")
        missing = await client.get("/review/stories/nothing")
    assert page.status_code == 200 and missing.status_code == 404
    strikes = next(  # the 2019 strikes, three outlets: 25 killed
        s for s in story_set.stories if any(line.reconciled.low == 25 for line in s.ledger)
    )
    assert len(strikes.reports) == 3
    injured = next(line for line in strikes.ledger if line.outcome.value == "injured")
    assert injured.reconciled.disputed  # 51, 55 and "more than 50"
    section = page.text.split(f'id="story-{story_set.stories.index(strikes) + 1}"')[1].split("</section>")[0]
    rows = section.count("<tr><td>")
    figures = sum(len(line.figures) for line in strikes.ledger)
    assert rows == len(strikes.reports) + figures  # one row per report, one per article's figure
    assert section.count("<svg") == len(strikes.ledger) and 'class="badge warn">disputed' in section
    assert "“more than 50”" in section or "<q>more than 50</q>" in section
    for report in strikes.reports:  # each report links to its summary's review page
        assert f'href="/review/summaries/{report.summary_id}"' in section
