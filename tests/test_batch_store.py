from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.batch.store import BatchPaths, FailureRecord, ResultStore, StoreError, iter_results


def line(n: int) -> bytes:
    return (json.dumps({"summary": f"result {n}"}) + "\n").encode()


def paths(tmp_path: Path) -> BatchPaths:
    return BatchPaths.for_output(tmp_path / "out.jsonl")


def write(tmp_path: Path, n: int) -> BatchPaths:
    p = paths(tmp_path)
    with ResultStore(p) as store:
        for i in range(n):
            store.add_result(f"id-{i}", line(i), origin=f"src-{i}")
    return p


def test_paths_sit_next_to_the_output(tmp_path: Path) -> None:
    p = paths(tmp_path)
    assert (p.failures.name, p.journal.name) == ("out.failures.jsonl", "out.journal.jsonl")
    assert BatchPaths.for_output(tmp_path / "res", tmp_path / "f.jsonl").failures == tmp_path / "f.jsonl"


def test_results_and_journal_resume(tmp_path: Path) -> None:
    p = write(tmp_path, 3)
    with ResultStore(p) as store:
        assert set(store.done) == {"id-0", "id-1", "id-2"}
        store.add_result("id-3", line(3))
        with pytest.raises(ValueError, match="already"):
            store.add_result("id-1", line(1))
    results = list(iter_results(p))
    assert [(e.id, e.line, data["summary"]) for e, data in results] == [
        (f"id-{i}", i + 1, f"result {i}") for i in range(4)
    ]


def test_a_result_written_but_not_journaled_is_cut_and_redone(tmp_path: Path) -> None:
    p = write(tmp_path, 2)
    with p.out.open("ab") as out:
        out.write(line(2))  # the process died between the output write and the journal write
    with ResultStore(p) as store:
        assert set(store.done) == {"id-0", "id-1"}
        store.add_result("id-2", line(2))
    assert p.out.read_bytes().count(b"\n") == 3
    assert [e.id for e, _ in iter_results(p)] == ["id-0", "id-1", "id-2"]


@pytest.mark.parametrize("torn", ["out", "journal", "failures"])
def test_torn_last_lines_are_cut(tmp_path: Path, torn: str) -> None:
    p = write(tmp_path, 2)
    with ResultStore(p) as store:
        store.add_failure(FailureRecord("bad", "src", "InputError", "empty", 0))
    with getattr(p, torn).open("ab") as handle:
        handle.write(b'{"id": "half-writ')
    with ResultStore(p) as store:
        assert set(store.done) == {"id-0", "id-1"}
        assert set(store.failed) == {"bad"}
    for name in ("out", "journal", "failures"):
        data = getattr(p, name).read_bytes()
        assert data.endswith(b"\n")
        assert all(json.loads(raw) for raw in data.splitlines())


def test_a_journal_entry_past_the_end_of_the_output_is_dropped(tmp_path: Path) -> None:
    p = write(tmp_path, 3)
    data = p.out.read_bytes()
    p.out.write_bytes(data[: data.index(b"\n") + 1] + data[data.index(b"\n") + 1 : -5])  # lost the tail
    with ResultStore(p) as store:
        assert set(store.done) == {"id-0", "id-1"}
    assert p.journal.read_bytes().count(b"\n") == 2


def test_an_edited_output_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, 2)
    p.out.write_bytes(p.out.read_bytes().replace(b"result 1", b"RESULT 1"))
    with pytest.raises(StoreError, match="not what its journal recorded"), ResultStore(p):
        pass


def test_an_output_not_written_by_batch_is_refused_unless_fresh(tmp_path: Path) -> None:
    p = paths(tmp_path)
    p.out.write_text('{"someone": "else"}\n', encoding="utf-8")
    with pytest.raises(StoreError, match="--fresh"), ResultStore(p):
        pass
    with ResultStore(p, fresh=True) as store:
        assert not store.done
    assert p.out.read_bytes() == b""


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    p = paths(tmp_path)
    with ResultStore(p), pytest.raises(StoreError, match="another"), ResultStore(p):
        pass


def test_failures_are_skipped_unless_retried(tmp_path: Path) -> None:
    p = paths(tmp_path)
    with ResultStore(p) as store:
        store.add_failure(FailureRecord("x", "in.jsonl:1", "RateLimited", "429", 5))
        with pytest.raises(ValueError, match="already finished"):
            store.add_failure(FailureRecord("x", "in.jsonl:1", "RateLimited", "429", 5))
    with ResultStore(p) as store:
        assert store.is_finished("x")
    with ResultStore(p, retry_failed=True) as store:
        assert not store.is_finished("x") and store.retried == 1
    assert p.failures.read_bytes() == b""
    assert b'"id":"x"' in p.failures.with_name("out.failures.jsonl.prev").read_bytes()


WRITER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("store", sys.argv[1])
store = importlib.util.module_from_spec(spec)
sys.modules["store"] = store
spec.loader.exec_module(store)
paths = store.BatchPaths.for_output(__import__("pathlib").Path(sys.argv[2]))
with store.ResultStore(paths) as results:
    for i in range(100_000):
        item = f"w-{i}"
        if results.is_finished(item):
            continue
        if i % 7 == 3:
            results.add_failure(store.FailureRecord(item, "src", "InputError", "x" * 2000, 0))
        else:
            line = json.dumps({"id": item, "pad": "x" * 200_000}) + "\\n"
            results.add_result(item, line.encode(), origin="src")
"""


def test_a_writer_killed_at_random_moments_leaves_no_torn_or_duplicate_line(tmp_path: Path) -> None:
    import random
    import signal
    import subprocess
    import sys
    import time

    from summarizer.batch import store as store_module

    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    p = paths(tmp_path)
    pick = random.Random(5)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, str(script), store_module.__file__, str(p.out)])
        time.sleep(pick.uniform(0.1, 0.3))
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    with ResultStore(p) as store:
        done, failed = set(store.done), set(store.failed)
    assert done and failed and not done & failed
    entries = [json.loads(raw) for raw in p.journal.read_bytes().splitlines()]
    lines = p.out.read_bytes().splitlines()
    assert [json.loads(raw)["id"] for raw in lines] == [e["id"] for e in entries]  # every line whole, in order
    assert len({e["id"] for e in entries}) == len(entries)
    failures = [json.loads(raw)["id"] for raw in p.failures.read_bytes().splitlines()]
    assert len(set(failures)) == len(failures)
    numbers = sorted(int(i.split("-")[1]) for i in done | failed)
    assert numbers == list(range(len(numbers)))  # resumed where it stopped: no gap, nothing skipped


def test_files_written_before_origin_was_named_so_still_resume(tmp_path: Path) -> None:
    p = write(tmp_path, 1)
    entry = json.loads(p.journal.read_text().splitlines()[0])
    entry["source"] = entry.pop("origin")
    p.journal.write_text(json.dumps(entry) + "\n")
    old_failure = {"id": "bad", "source": "in.jsonl:2", "error_type": "InputError", "reason": "empty", "attempts": 0}
    p.failures.write_text(json.dumps(old_failure) + "\n")
    with ResultStore(p) as store:
        assert set(store.done) == {"id-0"} and store.done["id-0"].origin == "src-0"
        assert store.failed["bad"].origin == "in.jsonl:2"
