from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.backends.replay import RecordingTransport
from summarizer.errors import RecordingMissing
from summarizer.llm import LLMClient
from summarizer.settings import Settings
from tests.fakes import Script, ok


def test_record_then_replay_gives_the_same_summary(settings: Settings, seed_text: str, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    live = settings.model_copy(update={"backend": "openai", "base_url": "http://fake.invalid/v1", "model": "m"})
    recorder = RecordingTransport(Script([ok()]), recordings)
    recorded = Summarizer(live, llm=LLMClient(live, transport=recorder)).summarize(seed_text, use_cache=False)

    files = list(recordings.glob("*.json"))
    assert [f.stem for f in files] == [recorded.provenance.cache_key]
    record = json.loads(files[0].read_text())
    assert record["exchanges"][0]["request"]["model"] == "m"  # reviewable: the whole request is kept

    replay = settings.model_copy(
        update={"backend": "replay", "replay_as": "openai", "model": "m", "replay_dir": recordings}
    )
    replayed = Summarizer(replay).summarize(seed_text, use_cache=False)
    assert replayed.provenance.cache_key == recorded.provenance.cache_key
    assert replayed.model_dump(exclude={"provenance"}) == recorded.model_dump(exclude={"provenance"})
    assert replayed.provenance.backend == "replay"


def test_changed_request_under_a_known_key_fails_loudly(settings: Settings, seed_text: str, tmp_path: Path) -> None:
    summary = Summarizer(settings).summarize(seed_text, use_cache=False)
    exchanges = [e for path in settings.replay_dir.glob("*.json") for e in json.loads(path.read_text())["exchanges"]]
    for exchange in exchanges:
        exchange["request_sha256"] = "0" * 64  # as if every request had changed since it was recorded
    copy = tmp_path / f"{summary.provenance.cache_key}.json"
    copy.write_text(json.dumps({"cache_key": summary.provenance.cache_key, "exchanges": exchanges}))
    with pytest.raises(RecordingMissing, match="no response for request"):
        Summarizer(settings.model_copy(update={"replay_dir": tmp_path})).summarize(seed_text, use_cache=False)


def test_a_recording_answers_its_request_under_any_cache_key(
    settings: Settings, seed_text: str, tmp_path: Path
) -> None:
    """A rule change changes the cache key, not the questions: the recorded answers still serve them."""
    for number, path in enumerate(sorted(settings.replay_dir.glob("*.json"))):
        (tmp_path / f"recorded-under-another-key-{number}.json").write_text(path.read_text())
    expected = Summarizer(settings).summarize(seed_text, use_cache=False)
    moved = Summarizer(settings.model_copy(update={"replay_dir": tmp_path})).summarize(seed_text, use_cache=False)
    assert not (tmp_path / f"{moved.provenance.cache_key}.json").exists()
    assert moved.model_dump(exclude={"provenance", "id"}) == expected.model_dump(exclude={"provenance", "id"})
