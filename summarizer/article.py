"""Check that an article can be summarized at all, with one-line reasons when it cannot."""

from __future__ import annotations

import hashlib
import re

from summarizer.errors import InputError

# C0 control characters that are not text (tab, newline, form feed and carriage return are).
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_article(data: bytes, *, origin: str | None = None) -> str:
    """UTF-8 text from raw bytes (BOM dropped); binary or non-UTF-8 data is an ``InputError``."""
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file (it contains NUL bytes), not article text", origin=origin)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8 first",
            origin=origin,
        ) from None
    return check_article(text, origin=origin)


def check_article(text: str, *, max_chars: int | None = None, origin: str | None = None) -> str:
    """Return ``text`` if it is summarizable: not empty, not binary, not too long."""
    if not text.strip():
        raise InputError("the article is empty" if not text else "the article is only whitespace", origin=origin)
    sample = text[:8192]
    controls = len(_BINARY_CONTROL.findall(sample))  # a scan in C: this runs on every request, cache hits too
    if "\x00" in sample or controls > max(8, len(sample) // 100):
        raise InputError("looks like binary data (control characters), not article text", origin=origin)
    if max_chars is not None and len(text) > max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, more than the limit of {max_chars:,} "
            "(SUMMARIZER_MAX_ARTICLE_CHARS)",
            origin=origin,
        )
    return text


def text_sha256(text: str) -> str:
    """The article's content hash as provenance records it (``article_sha256``): sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
