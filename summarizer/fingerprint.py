"""Fingerprints of the package's own files, for cache keys: a change to the code or to the rule files
changes what was computed from them. sha256 over each file's path (relative to the package) and bytes,
in path order."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def files_sha256(paths: Iterable[Path], *, root: Path = PACKAGE) -> str:
    """sha256 over the path (relative to ``root``) and bytes of each file, in path order."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def sources(*names: str) -> list[Path]:
    """The Python files under each named folder of the package, and each named file."""
    found: list[Path] = []
    for name in names:
        path = PACKAGE / name
        found.extend(path.rglob("*.py") if path.is_dir() else [path])
    return found
