"""A JSONL upload streamed to a file as it arrives, under the configured size limit: never held in memory.

The body is read chunk by chunk (Litestar's ``Request.stream()``) into a staging file next to the batch
jobs. On the way every chunk is checked: the running size against the limit (413 as soon as it is
passed, or before reading anything when Content-Length already says so), UTF-8 (400 with the offset of
the first bad byte), and the lines that hold something are counted (422 when there are none). A refused
or broken upload leaves no file behind.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio

from summarizer.api.problems import problem
from summarizer.errors import StorageError

_LINE_BREAK = re.compile(rb"[\r\n]")  # what bytes.splitlines() splits on
STAGING_PREFIX = ".upload-"


@dataclass(frozen=True)
class Upload:
    path: Path  # the staging file; the job takes it over (or ``discard()``)
    size: int
    lines: int  # lines that are not blank
    sha256: str = ""  # of the bytes as uploaded (an Idempotency-Key's request fingerprint)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class LineCounter:
    """Counts the lines that hold something other than white space, fed chunks cut anywhere."""

    def __init__(self) -> None:
        self.lines = 0
        self._open_line_has_text = False

    def feed(self, chunk: bytes) -> None:
        first, *rest = _LINE_BREAK.split(chunk)  # "\r\n" split in two only adds a blank line: never counted
        self._open_line_has_text = self._open_line_has_text or bool(first.strip())
        for segment in rest:
            self.lines += self._open_line_has_text
            self._open_line_has_text = bool(segment.strip())

    def total(self) -> int:
        return self.lines + self._open_line_has_text


def count_lines(data: bytes) -> int:
    counter = LineCounter()
    counter.feed(data)
    return counter.total()


def staging_path(directory: Path) -> Path:
    return directory / f"{STAGING_PREFIX}{uuid.uuid4().hex}.part"


async def receive_upload(
    chunks: AsyncIterator[bytes], directory: Path, *, limit: int, announced: int | None = None
) -> Upload:
    """Stream ``chunks`` into a new staging file in ``directory``; raise a 4xx problem or ``StorageError``."""
    if announced is not None and announced > limit:
        raise _too_large(f"the upload is {announced} bytes; the limit is {limit}")
    path = staging_path(directory)
    decoder = codecs.getincrementaldecoder("utf-8")()
    counter = LineCounter()
    digest = hashlib.sha256()
    size = 0
    try:
        try:
            await anyio.Path(directory).mkdir(parents=True, exist_ok=True)
            file = await anyio.open_file(path, "wb")
        except OSError as exc:
            raise StorageError(f"the upload cannot be stored ({exc.strerror or exc})", path=directory) from exc
        async with file:
            async for chunk in chunks:
                offset = size - len(decoder.getstate()[0])  # where the bytes the decoder is given start
                size += len(chunk)
                if size > limit:
                    raise _too_large(f"the upload is more than {limit} bytes, the limit")
                _check_utf8(decoder, chunk, offset)
                counter.feed(chunk)
                digest.update(chunk)
                try:
                    await file.write(chunk)
                except OSError as exc:
                    raise StorageError(f"the upload cannot be stored ({exc.strerror or exc})", path=directory) from exc
        _check_utf8(decoder, b"", size - len(decoder.getstate()[0]), final=True)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Upload(path, size, counter.total(), digest.hexdigest())


def _check_utf8(decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int, *, final: bool = False) -> None:
    pending = decoder.getstate()[0]
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError as exc:
        data = pending + chunk
        detail = f"the upload is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {offset + exc.start})"
        raise problem(400, "malformed-body", "Bad Request", detail) from None


def _too_large(detail: str) -> Exception:
    return problem(413, "batch-too-large", "Batch too large", detail)
