"""Which language an article is written in: py3langid's naive Bayes identifier, loaded on first use.

The model ships in the py3langid wheel (about 0.5 s to load, about 1 ms an article after that); nothing is
downloaded. py3langid is imported inside the functions so that importing this module costs nothing.
``check_article`` decides what to do with the answer (``summarizer/article.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# The body's first characters say its language; more only costs time.
SAMPLE_CHARS = 4000
# Addresses are not words of any language.
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def identify(text: str) -> tuple[str, float]:
    """The language of ``text`` as its ISO 639 code and a confidence in [0, 1].

    The confidence is py3langid's normalized probability (its scores are scaled by the text's length, so a
    short text is never very sure); ``zxx`` means no linguistic content (numbers, markup).
    """
    sample = _ADDRESS.sub(" ", text[:SAMPLE_CHARS])
    code, confidence = _identifier().classify(sample)
    return str(code), float(confidence)


def language_name(code: str) -> str | None:
    """The English name of an ISO 639 code ("fr" -> "French"), or None when it is not a known code."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    if found is None:
        return None
    return str(found.name).split(" (")[0]  # "Modern Greek (1453-)", "Malay (macrolanguage)"


def load_identifier() -> None:
    """Load the model now (the server's warm-up) rather than on the first article."""
    _identifier()


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
