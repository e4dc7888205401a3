"""Check that an article can be summarized at all, with one-line reasons when it cannot."""

from __future__ import annotations

import hashlib
import re

from summarizer.errors import InputError
from summarizer.language import identify, language_name

# C0 control characters that are not text (tab, newline, form feed and carriage return are).
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
# An article is refused for its language only when the identifier is this sure it is not English. Over the
# corpus and eval articles English scored 0.977 or more, and no line of them, alone or with the next, scored
# 0.9 for another language (the highest, 0.67, a one-line "Updates from Friday 15 November. All times GMT.");
# a short text is never very sure (see ``language.identify``), so a two-line article full of names passes.
REFUSE_LANGUAGE_AT = 0.9
# Answers that are English or name no language: "zxx" is numbers or markup, "und" undetermined.
_NOT_REFUSED = frozenset({"en", "zxx", "und"})


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


def check_article(
    text: str, *, max_chars: int | None = None, origin: str | None = None, language_check: bool = False
) -> str:
    """Return ``text`` if it is summarizable: not empty, not binary, not too long, and with
    ``language_check`` (``SUMMARIZER_LANGUAGE_CHECK``) not confidently in a language other than English."""
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
    if language_check:
        check_language(text, origin=origin)
    return text


def check_language(text: str, *, origin: str | None = None) -> None:
    """Refuse an article the identifier is sure (``REFUSE_LANGUAGE_AT``) is not English, naming its language."""
    code, confidence = identify(text)
    if code in _NOT_REFUSED or confidence < REFUSE_LANGUAGE_AT:
        return
    name = language_name(code)
    found = f"{name} ({code}, " if name else f"language {code!r} ("
    raise InputError(
        f"the article is in {found}confidence {int(confidence * 100) / 100:.2f}); only English articles can be "
        "summarized (SUMMARIZER_LANGUAGE_CHECK=false turns this check off)",
        origin=origin,
    )


def text_sha256(text: str) -> str:
    """The article's content hash as provenance records it (``article_sha256``): sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
