from __future__ import annotations

import logging
from pathlib import Path

import pytest

from summarizer.cache import ResultCache, cache_key, canonical_json


def test_key_is_a_hash_of_canonical_json() -> None:
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'
    assert cache_key({"a": 1, "b": 2}) == cache_key({"b": 2, "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 2})
    assert len(cache_key({})) == 64


def test_put_then_get(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "c.sqlite3")
    assert cache.get("k") is None
    cache.put("k", {"x": 1}, {"m": 1})
    assert cache.get("k") == {"x": 1}
    assert ResultCache(tmp_path / "c.sqlite3").get("k") == {"x": 1}  # persisted


def test_corrupt_cache_degrades_to_a_miss_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    cache = ResultCache(path)
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None
        cache.put("k", {"x": 1}, {})
    assert "treating as a miss" in caplog.text
    assert "not cached" in caplog.text


def test_locked_cache_degrades_to_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import sqlite3

    path = tmp_path / "c.sqlite3"
    ResultCache(path).put("k", {"x": 1}, {})
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING):
            assert ResultCache(path, timeout_s=0.05).get("k") is None
        assert "treating as a miss" in caplog.text
    finally:
        holder.rollback()
        holder.close()


def test_unwritable_location_degrades(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = ResultCache(blocker / "sub" / "c.sqlite3")  # parent is a file: cannot create
    with caplog.at_level(logging.WARNING):
        assert cache.get("k") is None
        cache.put("k", {}, {})
    assert "treating as a miss" in caplog.text
