"""The batch-API engine's own files next to the output: input files, downloads, and a journal of remote ids.

``<OUT stem>.batches/`` holds ``requests-NNNN.jsonl`` (the input files, kept: vLLM's ``run_batch`` reads
them too), ``output-<batch>.jsonl`` and ``errors-<batch>.jsonl`` (downloads) and ``state.jsonl``, one
event per line, appended and fsynced before the next remote step::

    {"event": "uploaded", "name": "requests-0001.jsonl", "file_id": "file-...", "requests": 120}
    {"event": "created", "name": "requests-0001.jsonl", "batch_id": "batch_..."}
    {"event": "ended", "name": ..., "status": "completed", "output": "output-....jsonl", "errors": null, "reason": null}
    {"event": "retry"}      # --retry-failed: failure reasons of batches that ended before are forgotten

So a killed run knows which files it uploaded and which batches it created, and re-attaches to them.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarizer.batch.store import BatchPaths

STATE = "state.jsonl"


@dataclass
class RemoteFile:
    """One input file and what became of it remotely."""

    name: str
    file_id: str | None = None
    requests: int = 0
    batch_id: str | None = None
    status: str | None = None  # the batch's final status, once it ended and was downloaded
    output: str | None = None
    errors: str | None = None
    reason: str | None = None  # why the batch answered nothing (failed validation, ...)
    epoch: int = 0  # how many --retry-failed runs came before it ended

    @property
    def in_flight(self) -> bool:
        return self.file_id is not None and self.status is None


def remote_dir(paths: BatchPaths) -> Path:
    name = paths.out.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    return paths.out.with_name(f"{stem}.batches")


class RemoteState:
    def __init__(self, directory: Path, *, fresh: bool = False):
        self.directory = directory
        if fresh and directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, RemoteFile] = {}
        self.epoch = 0
        self._load()
        for path in directory.glob("requests-*.jsonl"):  # written, never uploaded: its requests are asked again
            if path.name not in self.files:
                path.unlink()

    @property
    def path(self) -> Path:
        return self.directory / STATE

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a torn last event: the step it names did not finish being recorded
            with self.path.open("r+b") as handle:
                handle.truncate(end)
        for raw in data[:end].splitlines():
            event = json.loads(raw)
            kind = event.pop("event")
            if kind == "retry":
                self.epoch += 1
                continue
            record = self.files.setdefault(event["name"], RemoteFile(event["name"]))
            if kind == "uploaded":
                record.file_id, record.requests = event["file_id"], event["requests"]
            elif kind == "created":
                record.batch_id = event["batch_id"]
            elif kind == "ended":
                record.status, record.output, record.errors = event["status"], event["output"], event["errors"]
                record.reason, record.epoch = event.get("reason"), self.epoch

    def _append(self, event: dict[str, Any]) -> None:
        line = (json.dumps(event, separators=(",", ":")) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def next_name(self) -> str:
        taken = {int(name[len("requests-") : -len(".jsonl")]) for name in self.files}
        return f"requests-{max(taken, default=0) + 1:04d}.jsonl"

    def uploaded(self, name: str, file_id: str, requests: int) -> RemoteFile:
        self._append({"event": "uploaded", "name": name, "file_id": file_id, "requests": requests})
        record = self.files.setdefault(name, RemoteFile(name))
        record.file_id, record.requests = file_id, requests
        return record

    def created(self, record: RemoteFile, batch_id: str) -> None:
        self._append({"event": "created", "name": record.name, "batch_id": batch_id})
        record.batch_id = batch_id

    def ended(
        self, record: RemoteFile, status: str, *, output: str | None, errors: str | None, reason: str | None
    ) -> None:
        event = {"event": "ended", "name": record.name, "status": status, "output": output, "errors": errors}
        self._append({**event, "reason": reason})
        record.status, record.output, record.errors, record.reason = status, output, errors, reason
        record.epoch = self.epoch

    def retry(self) -> None:
        self._append({"event": "retry"})
        self.epoch += 1
