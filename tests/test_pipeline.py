"""The whole pipeline over the replay backend: recorded embedded-model answers for the five seeds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import jsonschema
import pytest

from summarizer import Summarizer
from summarizer.cache import cache_key
from summarizer.errors import InputError, RecordingMissing
from summarizer.prompts import PromptLibrary, bundled_prompts_dir
from summarizer.schema import GroundingStatus, QuoteCheck
from summarizer.schema_files import bundled_schemas_dir, load
from summarizer.settings import Settings
from tests.conftest import SEEDS

DEFAULT_PROMPT = PromptLibrary(bundled_prompts_dir()).default_version("summarize", "embedded")
VALIDATOR = jsonschema.Draft202012Validator(load(bundled_schemas_dir()))


def all_evidence(data: dict) -> list[dict]:
    found = []
    for key in ("actors", "actions", "casualties", "statements"):
        for fact in data[key]:
            found.append(fact["evidence"])
            if key == "casualties":
                found.append(fact["count"]["evidence"])
    return found


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_summary_is_schema_valid_and_every_fact_is_grounded_or_flagged(seed: Path, settings: Settings) -> None:
    text = seed.read_text(encoding="utf-8")
    summary = Summarizer(settings).summarize(text)
    data = summary.model_dump(mode="json")
    VALIDATOR.validate(data)
    assert summary.actors, "the recorded model output names actors for every seed"
    for evidence in all_evidence(data):
        if evidence["status"] == GroundingStatus.ungrounded and evidence["reason"] != "counts_something_else":
            assert evidence["start"] is None and evidence["end"] is None
        else:
            start, end = evidence["start"], evidence["end"]
            assert 0 <= start < end <= len(text)
    for statement in summary.statements:
        if statement.quote_check is QuoteCheck.verbatim_found:
            assert statement.evidence.status is GroundingStatus.grounded
    counts = summary.grounding
    assert counts.facts == counts.grounded + counts.fuzzy + counts.ungrounded == len(all_evidence(data))
    prov = summary.provenance
    assert (prov.prompt_name, prov.prompt_version, prov.backend) == ("summarize", DEFAULT_PROMPT, "replay")
    assert prov.attempts >= 1 and prov.usage.completion_tokens > 0


def test_second_run_is_a_cache_hit_in_milliseconds(settings: Settings, seed_text: str) -> None:
    summarizer = Summarizer(settings)
    first = summarizer.summarize(seed_text)
    second = Summarizer(settings).summarize(seed_text)
    assert not first.provenance.cache_hit
    assert second.provenance.cache_hit
    assert second.provenance.cache_key == first.provenance.cache_key
    assert second.provenance.latency_ms < 1000
    assert second.model_dump(exclude={"provenance"}) == first.model_dump(exclude={"provenance"})


def test_cache_hit_needs_no_backend(settings: Settings, seed_text: str, tmp_path: Path) -> None:
    Summarizer(settings).summarize(seed_text)
    offline = settings.model_copy(update={"replay_dir": tmp_path / "no-recordings"})
    assert Summarizer(offline).summarize(seed_text).provenance.cache_hit


def test_changed_model_is_a_miss(settings: Settings, seed_text: str) -> None:
    base = Summarizer(settings).summarize(seed_text)
    other_model = Summarizer(settings.model_copy(update={"model": "another-model"}))
    with pytest.raises(RecordingMissing) as missing:
        other_model.summarize(seed_text)  # a miss goes to the backend, which has no recording for it
    assert missing.value.key != base.provenance.cache_key
    assert missing.value.key in str(missing.value) and "SUMMARIZER_RECORD_DIR" in str(missing.value)


def test_changed_prompt_version_changes_the_key(settings: Settings) -> None:
    summarizer = Summarizer(settings)
    prompt = summarizer.prompt()
    newer = dataclasses.replace(prompt, meta=prompt.meta.model_copy(update={"version": "v2"}))
    material = summarizer.key_material("text", title=None, prompt=prompt)
    assert cache_key(material) != cache_key(summarizer.key_material("text", title=None, prompt=newer))
    assert cache_key(material) != cache_key(summarizer.key_material("text 2", title=None, prompt=prompt))
    assert cache_key(material) == cache_key(summarizer.key_material("text", title=None, prompt=prompt))


def test_no_cache_and_refresh(settings: Settings, seed_text: str) -> None:
    summarizer = Summarizer(settings)
    summarizer.summarize(seed_text, use_cache=False)
    assert not summarizer.summarize(seed_text).provenance.cache_hit  # --no-cache wrote nothing
    assert summarizer.summarize(seed_text).provenance.cache_hit
    assert not summarizer.summarize(seed_text, refresh=True).provenance.cache_hit


def test_corrupt_cache_still_summarizes(settings: Settings, seed_text: str) -> None:
    path = settings.resolved_cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage" * 1000)
    assert Summarizer(settings).summarize(seed_text).actors


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("  \n\t ", "whitespace"), ("x" * 50, "more than the limit"), ("a\x00b\x01c" * 50, "binary")],
)
def test_bad_articles_are_input_errors(settings: Settings, text: str, reason: str) -> None:
    small = settings.model_copy(update={"max_article_chars": 40})
    with pytest.raises(InputError, match=reason):
        Summarizer(small).summarize(text, origin="a.txt")


def test_boilerplate_only_article_is_an_input_error(settings: Settings) -> None:
    with pytest.raises(InputError, match="boilerplate"):
        Summarizer(settings).summarize("[ad_1]\nLeave a comment\nShare this:\n")


def test_article_metadata_is_echoed_and_the_id_is_stable(settings: Settings, seed_text: str) -> None:
    from summarizer.schema import ArticleMeta

    meta = ArticleMeta(id="a-1", url="https://example.org/a", source="Example News", published_at="2020-01-06")
    first = Summarizer(settings).summarize(seed_text, article=meta)
    again = Summarizer(settings).summarize(seed_text, article=meta)
    other = Summarizer(settings).summarize(seed_text, article=meta.model_copy(update={"id": "a-2"}))
    assert first.article == meta
    assert first.id == again.id and first.id.startswith("sum_")
    assert other.id != first.id


def test_cached_lookup_never_calls_the_model(settings: Settings, seed_text: str, tmp_path: Path) -> None:
    offline = Summarizer(settings.model_copy(update={"replay_dir": tmp_path / "no-recordings"}))
    assert offline.cached(seed_text) is None  # a miss, and no RecordingMissing: the backend was not asked
    Summarizer(settings).summarize(seed_text)
    hit = offline.cached(seed_text)
    assert hit is not None and hit.provenance.cache_hit
    with pytest.raises(InputError):
        offline.cached("   ")


@pytest.mark.parametrize(("version", "parses"), [("v5", True), ("v3", False)])
def test_warm_up_loads_the_parser_only_for_a_strategy_that_parses(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, version: str, parses: bool
) -> None:
    import summarizer.analysis.nlp as nlp

    loaded: list[bool] = []
    monkeypatch.setattr(nlp, "load_pipeline", lambda: loaded.append(True))
    Summarizer(settings.model_copy(update={"prompt_version": version})).warm_up(probe=False)
    assert loaded == ([True] if parses else [])
