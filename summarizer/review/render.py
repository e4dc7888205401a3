"""One rendering path for every review page: the Litestar app's template engine and the static export.

The Jinja environment autoescapes everything (article text and model output are untrusted) and fails on
an undefined variable. The page's CSS and JavaScript are inlined, byte for byte the files under
``assets/``, and the Content-Security-Policy allows exactly those bytes by their sha256 hashes: no other
script or style can run, nothing is fetched from anywhere, not even from the server itself.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"


@dataclass(frozen=True)
class Assets:
    css: Markup
    js: Markup

    def policy(self, *, meta: bool = False) -> str:
        """The Content-Security-Policy of a review page (``meta``: the subset a <meta> element may carry)."""
        directives = [
            "default-src 'none'",
            f"script-src {_hash(self.js)}",
            f"style-src {_hash(self.css)}",
            "img-src data:",  # the favicon, an empty data: URL (no request)
            "base-uri 'none'",
            "form-action 'self'",
        ]
        if not meta:
            directives.append("frame-ancestors 'none'")  # ignored (with a console error) in a <meta> policy
        return "; ".join(directives)


def _hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def assets() -> Assets:
    css = (ASSETS / "review.css").read_text(encoding="utf-8")
    js = (ASSETS / "review.js").read_text(encoding="utf-8")
    for name, text, end in (("review.css", css, "</style"), ("review.js", js, "</script")):
        if end in text.lower():
            raise ValueError(f"{name} contains {end}>, which would end its inline element early")
    return Assets(Markup(css), Markup(js))


def policy() -> str:
    """The Content-Security-Policy header of every review page."""
    return assets().policy()


@cache
def environment() -> jinja2.Environment:
    """The review pages' Jinja environment (given to Litestar's ``JinjaTemplateEngine`` as it is)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_context(**context: Any) -> dict[str, Any]:
    """``context`` plus what every page's layout needs (the inline assets and, standalone, the policy)."""
    page_assets = assets()
    standalone = bool(context.get("standalone", False))
    return {
        "standalone": standalone,
        "css": page_assets.css,
        "js": page_assets.js,
        "meta_policy": page_assets.policy(meta=True) if standalone else None,
        **context,
    }


def render(template: str, context: dict[str, Any]) -> str:
    """The page as the server would send it (the export's path; the server renders the same template)."""
    return environment().get_template(template).render(page_context(**context))
