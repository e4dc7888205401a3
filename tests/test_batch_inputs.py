from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from summarizer.batch.inputs import InputPathError, open_input
from summarizer.errors import InputError


def test_folder_items_have_relative_path_ids_in_stable_order(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("B article", encoding="utf-8")
    (folder / "a.md").write_text("A article", encoding="utf-8")
    (folder / "sub" / "c.txt").write_text("C article", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    (folder / ".hidden.txt").write_text("hidden", encoding="utf-8")
    batch = open_input(str(folder))
    items = list(batch.items)
    assert batch.total == 3
    assert [i.id for i in items] == ["a.md", "b.txt", "sub/c.txt"]
    assert items[0].load() == "A article"
    assert items[2].origin == str(folder / "sub" / "c.txt")


def test_folder_file_that_is_binary_fails_when_loaded(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02 binary")
    [item] = list(open_input(str(tmp_path)).items)
    with pytest.raises(InputError, match="binary"):
        item.load()


def test_jsonl_records_ids_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "Alpha",
                "title": "T",
                "url": "https://example.org/a",
                "source": "Reuters",
                "published_at": "2020-01-01",
                "byline": "Jane Doe",
                "extra": 1,
            }
        ),
        json.dumps({"text": "No id"}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "b"}),
        json.dumps({"id": 7, "text": "Integer id"}),
        json.dumps({"id": "a", "text": "Duplicate of a"}),
        json.dumps({"id": True, "text": "Boolean id"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"text": "\xff bad utf-8"}\n')
    batch = open_input(str(path))
    items = list(batch.items)
    assert batch.total == 9
    by_id = {i.id: i for i in items}
    assert len(by_id) == len(items), "ids are unique"
    assert by_id["a"].title == "T" and by_id["a"].url == "https://example.org/a" and by_id["a"].load() == "Alpha"
    assert (by_id["a"].source, by_id["a"].published_at, by_id["a"].byline) == ("Reuters", "2020-01-01", "Jane Doe")
    assert by_id["line-2"].load() == "No id"
    assert by_id["7"].text == "Integer id"
    reasons = {i.id: (i.origin, i.error.reason) for i in items if i.error is not None}
    assert reasons == {
        "line-4": (f"{path}:4", reasons["line-4"][1]),
        "line-5": (f"{path}:5", "expected a JSON object, got list"),
        "b": (f"{path}:6", "the record has no 'text' string"),
        f"a@{path}:8": (f"{path}:8", f"duplicate id 'a' (first at {path}:1)"),
        "line-9": (f"{path}:9", "'id' must be a non-empty string or an integer, got true"),
        "line-10": (f"{path}:10", "the line is not valid UTF-8"),
    }
    assert reasons["line-4"][1].startswith("the line is not valid JSON")


def test_a_line_nested_too_deeply_is_a_failed_item_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "before"}\n' + "[" * 100_000 + "]" * 100_000 + '\n{"text": "after"}\n')
    items = list(open_input(str(path)).items)
    assert [i.id for i in items] == ["line-1", "line-2", "line-3"]
    error = items[1].error
    assert error is not None and error.origin == f"{path}:2" and "nests JSON" in error.reason
    assert items[2].load() == "after"


def test_anonymous_input_origins_are_line_numbers_only(tmp_path: Path) -> None:
    path = tmp_path / "upload.jsonl"
    path.write_text('{"text": "ok"}\n{not json\n')
    items = list(open_input(str(path), anonymous=True).items)
    assert [i.origin for i in items] == ["line 1", "line 2"]
    assert items[1].error is not None and str(tmp_path) not in str(items[1].error)


def test_stdin_is_jsonl_with_unknown_total() -> None:
    stream = io.BytesIO(b'{"id": "x", "text": "From stdin"}\n')
    batch = open_input("-", stdin=stream)
    assert batch.total is None
    [item] = list(batch.items)
    assert (item.id, item.origin, item.text) == ("x", "<stdin>:1", "From stdin")


def test_unusable_input_paths(tmp_path: Path) -> None:
    with pytest.raises(InputPathError, match="no such file"):
        open_input(str(tmp_path / "missing.jsonl"))


def test_unread_jsonl_input_is_closed(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "one"}\n{"text": "two"}\n', encoding="utf-8")
    batch = open_input(str(path))
    next(batch.items)
    batch.close()  # filterwarnings=error turns an unclosed file into a failure
