"""News pages for the HTML tests, made here from corpus articles: ten site layouts of the kinds news sites
use (a navigation bar, a headline and byline, share buttons, photo captions, "Related" boxes, newsletter
and cookie banners, comments, footers), each around one article's paragraphs. No page is fetched."""

from __future__ import annotations

from html import escape

LAYOUTS = (
    "wire",
    "broadsheet",
    "tabloid",
    "broadcaster",
    "liveblog",
    "magazine",
    "regional",
    "agency",
    "portal",
    "amp",
)


def page(layout: str, headline: str, paragraphs: list[str], *, byline: str, date: str, site: str) -> str:
    """One page of ``layout`` (one of ``LAYOUTS``) with the article's headline and paragraphs."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    head = (
        f"<head><meta charset='utf-8'><title>{escape(headline)} | {escape(site)}</title>"
        f"<meta property='og:site_name' content='{escape(site)}'>"
        f"<meta property='article:published_time' content='{date}T08:30:00Z'>"
        f"<meta name='author' content='{escape(byline)}'></head>"
    )
    nav = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li><li><a href='/politics'>Politics</a></li><li><a href='/sport'>Sport</a></li></ul></nav>"
    cookie = "<div class='cookie-banner'>We use cookies to improve your experience. <button>Accept all</button></div>"
    share = (
        "<div class='share'><a href='#'>Share on Facebook</a> <a href='#'>Share on X</a> <a href='#'>Email</a></div>"
    )
    related = "<aside class='related'><h3>Related</h3><ul><li><a href='/a'>Markets rally on rate hopes</a></li><li><a href='/b'>Ten recipes for spring</a></li></ul></aside>"
    newsletter = "<div class='newsletter'>Sign up for our morning briefing. <input type='email'> <button>Subscribe</button></div>"
    footer = f"<footer><p>&copy; 2024 {escape(site)}. All rights reserved.</p><a href='/terms'>Terms</a> <a href='/privacy'>Privacy</a></footer>"
    comments = "<section id='comments'><h3>Comments (2)</h3><div class='comment'>Terrible news.</div><div class='comment'>First!</div></section>"
    by = f"<p class='byline'>By {escape(byline)}</p><time datetime='{date}'>{date}</time>"
    figure = "<figure><img src='/photo.jpg' alt=''><figcaption>A file photo. (Photo: Agency)</figcaption></figure>"
    h1 = f"<h1>{escape(headline)}</h1>"
    article = {
        "wire": f"<article>{h1}{by}{body}</article>",
        "broadsheet": f"{nav}<main><article><header>{h1}{by}</header>{figure}<div class='article-body'>{body}</div>{share}</article>{related}</main>",
        "tabloid": f"{cookie}{nav}<div class='container'><article>{h1}{share}{by}{body}{newsletter}</article>{related}</div>",
        "broadcaster": f"{nav}<div id='main-content'><article>{h1}<div class='byline-block'>{by}</div><div class='story-body'>{body}</div></article></div>{related}",
        "liveblog": f"{nav}<main><article>{h1}{by}<div class='live-post'>{body}</div></article>{comments}</main>",
        "magazine": f"{nav}<article class='feature'>{h1}<p class='standfirst'>Our correspondent reports.</p>{by}{figure}<section>{body}</section></article>{newsletter}",
        "regional": f"{cookie}<header class='site'>{nav}</header><div class='content'><article>{h1}{by}{body}</article><div class='sidebar'>{related}</div></div>",
        "agency": f"<div class='wrapper'>{nav}<div class='story'>{h1}{by}<div class='text'>{body}</div></div>{share}</div>",
        "portal": f"{nav}<div class='col-main'><div class='article'>{h1}{by}{body}</div></div><div class='col-side'>{related}{newsletter}</div>",
        "amp": f"<header>{nav}</header><main role='main'><article>{h1}{by}{body}{share}</article></main>{comments}",
    }[layout]
    return f"<!doctype html><html lang='en'>{head}<body>{article}{footer}</body></html>"


EMPTY_PAGE = (
    "<!doctype html><html><head><title>World news | Example</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    "<ul><li><a href='/a'>Strike hits convoy</a></li><li><a href='/b'>Talks resume</a></li></ul>"
    "<footer>&copy; Example</footer></body></html>"
)
