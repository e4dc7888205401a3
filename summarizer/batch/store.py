"""Where a batch writes, so that it can be killed at any moment and resumed without a duplicate or a torn line.

Three files next to ``--out`` (``out.jsonl`` → ``out.journal.jsonl``, ``out.failures.jsonl``):

- ``out.jsonl``: one ``ArticleSummary`` JSON object per line, nothing else (each line validates against
  the committed schema);
- ``out.journal.jsonl``: one entry per output line, ``{id, line, offset, length, sha256, origin, title,
  url}``: which article each output line is, and the proof that the line is complete;
- ``out.failures.jsonl``: ``{id, origin, error_type, reason, attempts}`` per article that failed.

Writing: one process at a time (an exclusive ``flock`` on the journal, released by the kernel even on
SIGKILL), one writer thread, and each line is one ``os.write`` of a complete line to an ``O_APPEND``
file followed by ``fdatasync``. A result is written to ``out.jsonl`` first, then journaled: it counts as
done only once its journal entry is complete.

Recovery (every start): a torn last line of the journal or the failures file is cut off; ``out.jsonl``
is cut back to the end of its last journaled line (a line written but not journaled when the process
died is redone, never duplicated); journaled lines are checked against their length and hash. Done ids
are those in the journal or the failures file, and a resumed run skips them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

log = logging.getLogger(__name__)

_sync = getattr(os, "fdatasync", os.fsync)


class StoreError(Exception):
    """The output files cannot be used as they are (locked, or not what the journal says): exit 2."""


@dataclass(frozen=True)
class BatchPaths:
    out: Path
    failures: Path
    journal: Path

    @classmethod
    def for_output(cls, out: Path, failures: Path | None = None) -> BatchPaths:
        stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
        return cls(
            out=out,
            failures=failures or out.with_name(f"{stem}.failures.jsonl"),
            journal=out.with_name(f"{stem}.journal.jsonl"),
        )


def _with_origin(data: Any) -> Any:
    """A journal or failure record as read; files written before 0.2 called ``origin`` "source"."""
    if isinstance(data, dict) and "source" in data and "origin" not in data:
        data["origin"] = data.pop("source")
    return data


@dataclass(frozen=True)
class JournalEntry:
    id: str
    line: int
    offset: int
    length: int
    sha256: str
    origin: str | None = None
    title: str | None = None
    url: str | None = None

    @classmethod
    def parse(cls, raw: bytes) -> JournalEntry | None:
        try:
            entry = cls(**_with_origin(json.loads(raw)))
        except (ValueError, TypeError):
            return None
        if not (isinstance(entry.id, str) and isinstance(entry.offset, int) and isinstance(entry.length, int)):
            return None
        return entry


@dataclass(frozen=True)
class FailureRecord:
    id: str
    origin: str
    error_type: str
    reason: str
    attempts: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "error_type": self.error_type,
            "reason": self.reason,
            "attempts": self.attempts,
        }


def compact_json(value: dict[str, Any]) -> str:
    """A journal or failures record as written: one line of compact JSON (no newline)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _line(value: dict[str, Any]) -> bytes:
    return (compact_json(value) + "\n").encode("utf-8")


def _append(fd: int, data: bytes) -> None:
    """Append ``data`` (a complete line) and make it durable before returning."""
    written = os.write(fd, data)
    while written < len(data):  # a regular file writes everything at once unless the disk is full
        written += os.write(fd, data[written:])
    _sync(fd)


def _read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fd, min(1 << 20, size - offset), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _cut(fd: int, size: int, path: Path, why: str) -> None:
    current = os.fstat(fd).st_size
    if current > size:
        log.warning("%s: dropping %d byte(s) at the end (%s)", path, current - size, why)
        os.ftruncate(fd, size)
        _sync(fd)


def _complete_lines(fd: int, path: Path) -> list[tuple[int, bytes]]:
    """(offset, line) of every complete line; a torn last line (no newline) is cut off the file."""
    data = _read_all(fd)
    end = data.rfind(b"\n") + 1
    _cut(fd, end, path, "an incomplete last line, written when the process stopped")
    lines, offset = [], 0
    for raw in data[:end].splitlines(keepends=True):
        lines.append((offset, raw))
        offset += len(raw)
    return lines


class ResultStore:
    """The output, journal and failures files of one batch; use as a context manager (it holds the lock)."""

    def __init__(self, paths: BatchPaths, *, fresh: bool = False, retry_failed: bool = False):
        self.paths = paths
        self.fresh = fresh
        self.retry_failed = retry_failed
        self.done: dict[str, JournalEntry] = {}
        self.failed: dict[str, FailureRecord] = {}
        self.retried: int = 0
        self._fds: dict[str, int] = {}
        self._out_end = 0
        self._lines = 0

    def __enter__(self) -> ResultStore:
        try:
            self.open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def open(self) -> None:
        try:
            self._open()
        except OSError as exc:
            raise StoreError(f"cannot open the batch's files next to {self.paths.out}: {exc}") from None

    def _open(self) -> None:
        for path in (self.paths.out, self.paths.failures, self.paths.journal):
            path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        self._fds["journal"] = os.open(self.paths.journal, flags, 0o644)
        try:
            fcntl.flock(self._fds["journal"], fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{self.paths.out}: another `summarizer batch` is writing these results right now"
            ) from None
        self._fds["out"] = os.open(self.paths.out, flags, 0o644)
        self._fds["failures"] = os.open(self.paths.failures, flags, 0o644)
        for directory in {p.parent for p in (self.paths.out, self.paths.failures, self.paths.journal)}:
            _sync_directory(directory)  # the new files' names survive a crash too
        if self.fresh:
            for name in ("out", "journal", "failures"):
                _cut(self._fds[name], 0, getattr(self.paths, name), "--fresh")
        self._recover_results()
        self._recover_failures()

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)  # closing the journal releases the lock
        self._fds.clear()

    # -- recovery ------------------------------------------------------------------------------

    def _recover_results(self) -> None:
        journal_fd, out_fd = self._fds["journal"], self._fds["out"]
        out_size = os.fstat(out_fd).st_size
        lines = _complete_lines(journal_fd, self.paths.journal)
        if not lines and out_size > 0:
            raise StoreError(
                f"{self.paths.out} already has content but no journal ({self.paths.journal}), so it was not "
                "written by `summarizer batch`; choose another --out, or pass --fresh to overwrite it"
            )
        end = 0
        for position, raw in lines:
            entry = JournalEntry.parse(raw)
            problem = None
            if entry is None:
                problem = "an unreadable journal entry"
            elif entry.offset != end:
                problem = "a journal entry that does not follow the previous one"
            elif entry.offset + entry.length > out_size:
                problem = f"{self.paths.out} is shorter than its journal says"
            if problem or entry is None:
                _cut(journal_fd, position, self.paths.journal, problem or "")
                break
            if hashlib.sha256(os.pread(out_fd, entry.length, entry.offset)).hexdigest() != entry.sha256:
                raise StoreError(
                    f"{self.paths.out}: line {entry.line} is not what its journal recorded (was the file edited?); "
                    "choose another --out, or pass --fresh to start over"
                )
            self.done.setdefault(entry.id, entry)
            end = entry.offset + entry.length
            self._lines = entry.line
        _cut(out_fd, end, self.paths.out, "a result written but not journaled when the process stopped; it is redone")
        self._out_end = end

    def _recover_failures(self) -> None:
        fd = self._fds["failures"]
        records: dict[str, FailureRecord] = {}
        for position, raw in _complete_lines(fd, self.paths.failures):
            try:
                record = FailureRecord(**_with_origin(json.loads(raw)))
            except (ValueError, TypeError):
                log.warning("%s: ignoring an unreadable line at byte %d", self.paths.failures, position)
                continue
            records.setdefault(record.id, record)
        if self.retry_failed and records:
            previous = self.paths.failures.with_name(self.paths.failures.name + ".prev")
            os.replace(self.paths.failures, previous)  # keep the old reasons; the ids are retried
            os.close(fd)
            flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            self._fds["failures"] = os.open(self.paths.failures, flags, 0o644)
            _sync_directory(self.paths.failures.parent)
            self.retried = len(records)
            records = {}
        self.failed = {k: v for k, v in records.items() if k not in self.done}

    # -- writing -------------------------------------------------------------------------------

    def is_finished(self, item_id: str) -> bool:
        return item_id in self.done or item_id in self.failed

    def add_result(
        self, item_id: str, line: bytes, *, origin: str | None = None, title: str | None = None, url: str | None = None
    ) -> JournalEntry:
        """Append one complete output line, then its journal entry; the article is done after both."""
        if not line.endswith(b"\n") or b"\n" in line[:-1]:
            raise ValueError("an output record must be exactly one line")
        if item_id in self.done:
            raise ValueError(f"{item_id!r} is already in the output")
        entry = JournalEntry(
            id=item_id,
            line=self._lines + 1,
            offset=self._out_end,
            length=len(line),
            sha256=hashlib.sha256(line).hexdigest(),
            origin=origin,
            title=title,
            url=url,
        )
        _append(self._fds["out"], line)
        self._out_end += len(line)
        _append(self._fds["journal"], _line(entry.__dict__))
        self._lines += 1
        self.done[item_id] = entry
        return entry

    def add_failure(self, record: FailureRecord) -> None:
        if self.is_finished(record.id):
            raise ValueError(f"{record.id!r} is already finished")
        _append(self._fds["failures"], _line(record.to_json()))
        self.failed[record.id] = record


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def iter_results(paths: BatchPaths) -> Iterator[tuple[JournalEntry, dict[str, Any]]]:
    """Each finished result with its journal entry (id, origin, ...), in output order; for readers of a batch."""
    if not paths.journal.exists():
        return
    with paths.journal.open("rb") as journal, paths.out.open("rb") as out:
        for raw in journal:
            entry = JournalEntry.parse(raw) if raw.endswith(b"\n") else None
            if entry is None:
                return
            out.seek(entry.offset)
            data = out.read(entry.length)
            if len(data) != entry.length:
                return
            yield entry, json.loads(data)
