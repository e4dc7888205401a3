"""The gate's measured generation durations, kept in the data dir: a restarted server's first Retry-After
stands on what its last run measured, not on a prior.

One small JSON file, ``<data_dir>/gate-durations.json``, holds the last durations (seconds, oldest
first) per backend, model and prompt version, since a generation's time depends on all three (the
server's default version: a request may ask for another, and the gate measures it all the same):

    {"version": 1, "entries": [{"backend": "openai", "model": "gpt-4o-mini", "prompt_version": "v3",
                                "durations_s": [2.31, 2.28]}]}

It is written whole when a generation ends (a temporary file, then ``os.replace``: a reader never sees
half of one) and read when the app is created. A file that cannot be read or makes no sense is logged
and ignored (the gate starts from its prior, and the next write replaces it); a failed write is logged
once: the durations are an estimate's memory, never worth a failed request.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)

FILE_NAME = "gate-durations.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DurationKey:
    """What the durations were measured on."""

    backend: str
    model: str
    prompt_version: str


class DurationFile:
    """One key's durations in the shared file (the other keys' entries are kept as they are)."""

    def __init__(self, path: Path, key: DurationKey):
        self.path = path
        self.key = key
        self._warned = False

    def load(self) -> list[float]:
        """This key's durations, oldest first; none when there is no file or it cannot be read."""
        try:
            return _read(self.path).get(self.key, [])
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("ignoring the gate's measured durations", path=str(self.path), detail=str(exc))
            return []

    def save(self, durations: Sequence[float]) -> None:
        """Replace this key's durations (atomically; a failure is logged once, never raised)."""
        try:
            try:
                entries = _read(self.path)
            except (OSError, ValueError):  # none yet, or unreadable (reported by load): ours replace it
                entries = {}
            entries[self.key] = list(durations)
            _write(self.path, entries)
        except OSError as exc:
            if not self._warned:
                self._warned = True
                log.warning("cannot keep the gate's measured durations", path=str(self.path), detail=str(exc))


def _read(path: Path) -> dict[DurationKey, list[float]]:
    data = json.loads(path.read_text(encoding="utf-8"))  # JSONDecodeError and UnicodeDecodeError are ValueErrors
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("entries"), list):
        raise ValueError(f"not a version {FORMAT_VERSION} durations file")
    return dict(_entry(raw) for raw in data["entries"])


def _entry(raw: Any) -> tuple[DurationKey, list[float]]:
    if not isinstance(raw, dict):
        raise ValueError("an entry is not an object")
    backend, model, version, durations = (raw.get(k) for k in ("backend", "model", "prompt_version", "durations_s"))
    if not (isinstance(backend, str) and isinstance(model, str) and isinstance(version, str)):
        raise ValueError("an entry lacks its backend, model or prompt version")
    if not isinstance(durations, list) or not all(_is_duration(d) for d in durations):
        raise ValueError("an entry's durations are not a list of finite numbers of seconds >= 0")
    return DurationKey(backend, model, version), [float(d) for d in durations]


def _is_duration(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _write(path: Path, entries: dict[DurationKey, list[float]]) -> None:
    data = {
        "version": FORMAT_VERSION,
        "entries": [
            {
                "backend": key.backend,
                "model": key.model,
                "prompt_version": key.prompt_version,
                "durations_s": [round(d, 3) for d in durations],
            }
            for key, durations in entries.items()
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
