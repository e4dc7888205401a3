"""/review: HTML pages for a person: the stored summaries, each one over its article, and story sets.

The pages are rendered by ``summarizer.review`` (the same templates and context as the static export)
through Litestar's Jinja engine. They follow the key rule of ``/v1``: a key in the ``X-API-Key`` header, or,
since a browser cannot send that header with a link, in the HttpOnly cookie ``POST /review/key`` sets.

The key form needs no CSRF token: it is refused unless the browser says it comes from this server's own
page (the Fetch Metadata header ``Sec-Fetch-Site``, else ``Origin``: OWASP's check with standard headers),
so another site cannot post a key of its choosing into a reader's browser (login CSRF). Tokens would also
need a secret shared by every instance behind a balancer; these headers need none.
"""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.params import Body, Parameter
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from summarizer.api.routes.summaries import MAX_OFFSET, SummaryId
from summarizer.api.security import KEY_COOKIE, REVIEW_PATH, api_key_guard, is_valid_key
from summarizer.api.store import SummaryFilter, SummaryStore
from summarizer.review.pages import (
    KEY_TEMPLATE,
    LIST_TEMPLATE,
    STORY_TEMPLATE,
    SUMMARY_TEMPLATE,
    list_context,
    story_context,
    summary_context,
)
from summarizer.review.render import page_context
from summarizer.stories.model import StorySet

PAGE_SIZE = 50


def _page(template: str, context: dict[str, Any], status_code: int = 200) -> Template:
    return Template(template_name=template, context=page_context(**context), status_code=status_code)


def key_page(request: Request[Any, Any, Any], exc: NotAuthorizedException) -> Response[Any]:
    """401 on a review page: the page asks for the key (the form posts it; it never goes in a URL)."""
    path = request.url.path if request.method == "GET" else REVIEW_PATH
    return _page(KEY_TEMPLATE, {"next": path, "error": exc.detail}, status_code=401)


class KeyForm(BaseModel):
    key: str = Field(max_length=1000)
    next: str = Field(default=REVIEW_PATH, max_length=2000)


def _safe_next(path: str) -> str:
    """Back to a review page only (no open redirect to another site)."""
    if path.startswith(REVIEW_PATH) and not path.startswith("//") and "\\" not in path:
        return path
    return REVIEW_PATH


def from_this_site(request: Request[Any, Any, Any]) -> bool:
    """Whether a form post comes from a page of this server: ``Sec-Fetch-Site`` says so when the browser
    sends it (every current one does); else an ``Origin`` must name this host; a client that sends
    neither (curl, a test) is no browser another site can drive."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and origin.partition("://")[2].rstrip("/") == request.headers.get("host", "")


class ReviewKeyController(Controller):
    """The key form's target: no key needed to reach it (throttled with every other failed key)."""

    path = f"{REVIEW_PATH}/key"
    include_in_schema = False
    exception_handlers = {NotAuthorizedException: key_page}

    @post("/", status_code=303)
    async def set_key(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[KeyForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        if not from_this_site(request):
            raise PermissionDeniedException(detail="the key form is taken only from this server's own review page")
        if not is_valid_key(request, data.key):
            raise NotAuthorizedException(detail="that key is not valid")
        cookie = Cookie(
            key=KEY_COOKIE,
            value=data.key,
            path=REVIEW_PATH,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return Redirect(_safe_next(data.next), status_code=303, cookies=[cookie])


class ReviewController(Controller):
    path = REVIEW_PATH
    include_in_schema = False  # pages for people; the JSON API's contract is /v1
    guards = [api_key_guard]
    exception_handlers = {NotAuthorizedException: key_page}

    @get("/")
    async def summaries(
        self,
        state: State,
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> Template:
        store: SummaryStore = state.store
        where = SummaryFilter(q=q or None)
        total = await anyio.to_thread.run_sync(store.count, where)
        items = await anyio.to_thread.run_sync(lambda: store.list(where, limit=PAGE_SIZE, offset=offset))
        return _page(LIST_TEMPLATE, list_context(items, q=q or "", offset=offset, total=total, page_size=PAGE_SIZE))

    @get("/summaries/{summary_id:str}")
    async def summary(self, state: State, summary_id: SummaryId) -> Template:
        store: SummaryStore = state.store
        summary = await anyio.to_thread.run_sync(store.get, summary_id)
        if summary is None:
            raise NotFoundException(detail=f"no stored summary with id {summary_id!r}")
        text = await anyio.to_thread.run_sync(store.article_text, summary)
        return _page(SUMMARY_TEMPLATE, summary_context(summary, text))

    @get("/stories/{story_set_id:str}")
    async def stories(self, state: State, story_set_id: Annotated[str, Parameter(max_length=64)]) -> Template:
        """A story set (``POST /v1/stories``): each story's reports, links and casualty ledger, with a chart."""
        store: SummaryStore = state.store
        body = await anyio.to_thread.run_sync(store.story_set, story_set_id)
        if body is None:
            raise NotFoundException(detail=f"no stored story set with id {story_set_id!r}")
        return _page(STORY_TEMPLATE, story_context(StorySet.model_validate_json(body)))
