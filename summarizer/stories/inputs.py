"""What ``summarizer stories`` reads: batch output JSONL, summary JSON files, or articles.

Every unusable input is an ``InputError`` naming the file (and line): a summary of a schema version
this release cannot read, a story set given where summaries are wanted, invalid JSON, an empty set.
Summaries of schema v1 and v2 are read as v3 (``schema_upgrade``). Articles (``.txt``) are summarized
first, through the cache, by the caller's ``summarize`` function.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.schema import ArticleSummary
from summarizer.schema_upgrade import upgrade
from summarizer.stories.incidents import parse_published
from summarizer.stories.model import StorySet, upgrade_story_set

READABLE_VERSIONS = ("1", "2", "3")


@dataclass(frozen=True)
class Named:
    """A summary and the name its article goes by in stories (its id, or its file's stem)."""

    article: str
    summary: ArticleSummary


@dataclass(frozen=True)
class ArticleInfo:
    """What a feed says of an article that its text may not: when it was published, by whom."""

    published_at: date | None = None
    outlet: str | None = None


# File endings an article id may carry that the article's name in a feed may not.
_ARTICLE_ENDINGS = (".txt", ".json", ".html", ".htm", ".md")


def info_for(info: Mapping[str, ArticleInfo], article: str) -> ArticleInfo | None:
    """What ``info`` says of ``article``, by its id as given or without a file ending: a batch names
    an article "000_6251781f4193fbe1.txt", a feed or a stories gold "000_6251781f4193fbe1"."""
    if article in info:
        return info[article]
    bare = next((article.removesuffix(end) for end in _ARTICLE_ENDINGS if article.endswith(end)), None)
    return info.get(bare) if bare else None


def not_a_summary(data: Any, *, readable: Sequence[str] = READABLE_VERSIONS) -> str | None:
    """Why parsed JSON is not a summary of a ``readable`` schema version (a story set, another
    version), in words that follow its origin; None when it may be one."""
    if not isinstance(data, dict):
        return "is not a summary (a JSON object was expected)"
    if "stories" in data and "actors" not in data:
        return "is a story set, not a summary"
    version = data.get("schema_version")
    if version is None and isinstance(data.get("text"), str) and "actors" not in data:
        return (
            "is an article ({text, ...}), not a summary; summarize the articles first "
            "(summarizer batch ARTICLES.jsonl --out summaries.jsonl) and give it the summaries"
        )
    if version not in readable:
        return f"is a summary of schema version {version!r}; this release reads versions {', '.join(readable)}"
    return None


def summary_from(data: Any, *, origin: str) -> ArticleSummary:
    """One summary from parsed JSON, or an ``InputError`` that says what it is instead."""
    reason = not_a_summary(data)
    if reason is not None:
        raise InputError(reason, origin=origin)
    try:
        return ArticleSummary.model_validate(upgrade(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"is not a valid summary: {where}: {first['msg']}", origin=origin) from None


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON: {exc.msg} at line {exc.lineno}", origin=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=str(path)) from None


def _jsonl(path: Path) -> list[Named]:
    named = []
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=str(path)) from None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        origin = f"{path}:{number}"
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise InputError(f"is not JSON: {getattr(exc, 'msg', 'nested too deeply')}", origin=origin) from None
        summary = summary_from(data, origin=origin)
        named.append(Named(summary.article.id or f"{path.stem}:{number}", summary))
    return named


def read_inputs(paths: list[Path], *, summarize: Callable[[Path], ArticleSummary] | None = None) -> list[Named]:
    """Summaries from every path: ``.jsonl`` batch output, ``.json`` summaries, folders of either,
    and ``.txt`` articles (summarized with ``summarize``)."""
    named: list[Named] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in {".json", ".jsonl", ".txt"} and p.is_file())
            named.extend(read_inputs(files, summarize=summarize))
        elif not path.exists():
            raise InputError("no such file or directory", origin=str(path))
        elif path.suffix == ".jsonl":
            named.extend(_jsonl(path))
        elif path.suffix == ".json":
            data = _json(path)
            items = data if isinstance(data, list) else [data]
            for index, item in enumerate(items):
                origin = f"{path}[{index}]" if isinstance(data, list) else str(path)
                summary = summary_from(item, origin=origin)
                named.append(Named(summary.article.id or path.stem, summary))
        elif path.suffix == ".txt":
            if summarize is None:
                raise InputError("is an article; summaries were expected", origin=str(path))
            named.append(Named(path.stem, summarize(path)))
        else:
            raise InputError("is neither a summary (.json, .jsonl) nor an article (.txt)", origin=str(path))
    return named


def read_article_info(path: Path) -> dict[str, ArticleInfo]:
    """``{article: {"published_at": ..., "outlet": ...}}``, or a stories gold file's ``articles``."""
    data = _json(path)
    if isinstance(data, dict) and isinstance(data.get("articles"), dict):
        data = data["articles"]
    if not isinstance(data, dict):
        raise InputError("must map article ids to {published_at, outlet}", origin=str(path))
    info = {}
    for article, fields in data.items():
        if not isinstance(fields, dict):
            raise InputError(f"article {article!r}: expected an object with published_at and outlet", origin=str(path))
        published = fields.get("published_at")
        day = parse_published(published) if isinstance(published, str) else None
        if published is not None and day is None:
            raise InputError(f"article {article!r}: published_at {published!r} is not a date", origin=str(path))
        outlet = fields.get("outlet")
        info[article] = ArticleInfo(published_at=day, outlet=outlet if isinstance(outlet, str) else None)
    return info


def read_story_set(path: Path) -> StorySet:
    """A story set file (``summarizer stories --out``), of any story schema version; ``InputError`` otherwise."""
    try:
        body = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", origin=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", origin=str(path)) from None
    try:
        return StorySet.model_validate_json(upgrade_story_set(body))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(f"is not a story set: {where}: {first['msg']}", origin=str(path)) from None
    except ValueError as exc:  # upgrade_story_set's json.loads
        raise InputError(f"is not JSON: {exc}", origin=str(path)) from None
