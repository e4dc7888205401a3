"""What a batch reads: a folder of ``.txt``/``.md`` files, a JSONL file, or JSONL on standard input.

Every article becomes an ``Item`` with a stable id (the same input gives the same ids on every run, which
is what resuming relies on) and an ``origin`` for messages (``path`` or ``file:line``; ``line <n>`` for an
input opened ``anonymous``, such as a REST upload, whose path on the server means nothing to its sender):

- folder: id = the file's path relative to the folder (``sub/a.txt``); files are read when processed; a
  saved web page (``.html``) gives its article's text and metadata (``webpage.py``);
- JSONL: id = the record's ``id`` (string or integer), else ``line-<n>``; ``text`` is required; ``title``,
  ``url``, ``source`` (the outlet), ``published_at`` and ``byline`` are optional strings, echoed in the result's
  ``article``; other fields are ignored.

A line that is not a JSON object with a string ``text`` (including one nested too deeply to decode), or a
second record with an id seen before, is an ``Item`` carrying an ``InputError`` (a failure naming file and
line), never an exception that stops the batch. A duplicate id's failure gets the id ``<id>@<origin>`` so
that no id is ever written twice.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from summarizer.article import decode_article
from summarizer.errors import InputError
from summarizer.schema import ARTICLE_META_FIELDS
from summarizer.webpage import Page, is_html, read_page

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")  # a web page's article is taken out (webpage.py)


class InputPathError(Exception):
    """The batch input itself is unusable (missing, unreadable, of an unknown kind): bad usage, exit 2."""


@dataclass(frozen=True)
class Item:
    """One article to summarize, or one input record that cannot be (``error`` set)."""

    id: str
    origin: str  # where it came from, for messages: a path or file:line
    text: str | None = None
    path: Path | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None  # publisher or outlet
    published_at: str | None = None
    byline: str | None = None
    error: InputError | None = None

    def meta(self) -> dict[str, str | None]:
        """What the record says of its article, by ``ArticleMeta`` field."""
        return {name: getattr(self, name) for name in ARTICLE_META_FIELDS}

    @classmethod
    def of_record(cls, item_id: str, origin: str, text: str | None, meta: Mapping[str, str | None]) -> Item:
        """An article to summarize from its text and its metadata by ``ArticleMeta`` field."""
        return cls(
            id=item_id,
            origin=origin,
            text=text,
            title=meta.get("title"),
            url=meta.get("url"),
            source=meta.get("source"),
            published_at=meta.get("published_at"),
            byline=meta.get("byline"),
        )

    def load(self) -> str:
        """The article's text (a folder item is read now); raises ``InputError``."""
        if self.error is not None:
            raise self.error
        if self.text is not None:
            return self.text
        if self.path is None:
            raise InputError("the record has no text", origin=self.origin)
        return decode_article(self._read(self.path), origin=self.origin)

    def load_page(self) -> Page | None:
        """A saved web page's article and metadata (a folder's ``.html`` file); None for any other item."""
        if self.error is not None or self.path is None or not is_html(self.path.name):
            return None
        return read_page(self._read(self.path), origin=self.origin)

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot be read: {exc.strerror or exc}", origin=self.origin) from None


@dataclass
class BatchInput:
    """The items of one input, in a stable order; ``total`` is None when it cannot be known up front (stdin)."""

    name: str
    total: int | None
    items: Iterator[Item]

    def close(self) -> None:
        """Release the open file of a JSONL input that was not read to the end."""
        close = getattr(self.items, "close", None)
        if close is not None:
            close()


def open_input(spec: str, *, stdin: BinaryIO | None = None, anonymous: bool = False) -> BatchInput:
    """A folder, a ``.jsonl`` file or ``-``; raises ``InputPathError`` when the path is unusable.

    ``anonymous``: origins of JSONL records are ``line <n>``, without the input's name.
    """
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return BatchInput("<stdin>", None, _jsonl_items(stream, None if anonymous else "<stdin>"))
    path = Path(spec)
    if path.is_dir():
        files = folder_files(path)
        return BatchInput(str(path), len(files), _folder_items(path, files))
    if not path.exists():
        raise InputPathError(f"{spec}: no such file or directory")
    if not path.is_file():
        raise InputPathError(f"{spec}: not a folder, a JSONL file or -")
    try:
        total = _count_records(path)
    except OSError as exc:
        raise InputPathError(f"{spec}: cannot be read: {exc.strerror or exc}") from None
    return BatchInput(str(path), total, _file_items(path, None if anonymous else str(path)))


def folder_files(folder: Path) -> list[Path]:
    """Article files under ``folder`` (recursively), sorted by relative path; hidden files are skipped."""
    found = [
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in ARTICLE_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _folder_items(folder: Path, files: list[Path]) -> Iterator[Item]:
    for path in files:
        yield Item(id=path.relative_to(folder).as_posix(), origin=str(path), path=path)


def _count_records(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _file_items(path: Path, name: str | None) -> Iterator[Item]:
    with path.open("rb") as handle:  # opened on first use, closed when exhausted or when the iterator is closed
        yield from _jsonl_items(handle, name)


def _jsonl_items(stream: BinaryIO, name: str | None) -> Iterator[Item]:
    first_seen: dict[str, str] = {}
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        item = parse_record(raw, name=name, number=number)
        if item.id in first_seen:
            item = Item(
                id=f"{item.id}@{item.origin}",
                origin=item.origin,
                error=InputError(f"duplicate id {item.id!r} (first at {first_seen[item.id]})", origin=item.origin),
            )
        else:
            first_seen[item.id] = item.origin
        yield item


def parse_record(raw: bytes, *, name: str | None, number: int) -> Item:
    """One JSONL line as an ``Item``; whatever is wrong with it becomes the item's ``error``.

    ``name`` is the input's name in the origin (``name:number``); without one the origin is ``line <number>``.
    """
    origin = f"{name}:{number}" if name else f"line {number}"
    fallback = f"line-{number}"

    def bad(reason: str, item_id: str = fallback) -> Item:
        return Item(id=item_id, origin=origin, error=InputError(reason, origin=origin))

    try:
        record = json.loads(raw)
    except UnicodeDecodeError:
        return bad("the line is not valid UTF-8")
    except ValueError as exc:
        return bad(f"the line is not valid JSON ({exc})")
    except RecursionError:  # the decoder's own depth limit: a record is a flat object, this is not one
        return bad("the line nests JSON arrays or objects too deeply to be read (a record is one flat object)")
    if not isinstance(record, dict):
        return bad(f"expected a JSON object, got {type(record).__name__}")
    raw_id = record.get("id")
    if raw_id is None:
        item_id = fallback
    elif isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and str(raw_id).strip():
        item_id = str(raw_id)
    else:
        return bad(f"'id' must be a non-empty string or an integer, got {json.dumps(raw_id)}")
    text = record.get("text")
    if not isinstance(text, str):
        return bad("the record has no 'text' string" if text is None else "'text' must be a string", item_id)
    meta: dict[str, str | None] = {}
    for field in ARTICLE_META_FIELDS:
        value = record.get(field)
        if value is not None and not isinstance(value, str):
            return bad(f"'{field}' must be a string", item_id)
        meta[field] = value or None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return bad("'text' contains invalid Unicode (a lone surrogate escape)", item_id)
    return Item.of_record(item_id, origin, text, meta)
