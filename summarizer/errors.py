"""One error tree for the whole package.

Every error the library raises on purpose is a ``SummarizerError``; the CLI prints its message on
one line and exits non-zero, and the REST layer maps each branch to one HTTP status.

    SummarizerError
     ├── ConfigError              bad settings or an unusable configuration
     │    ├── PromptError         a prompt template or its metadata is invalid / unknown
     │    └── RuleFileError       a rule or lexicon file is invalid (names the file and line)
     ├── InputError               the article cannot be summarized (empty, binary, not UTF-8, too long)
     ├── ModelFileError           the embedded model's weights are missing or corrupt
     ├── BackendError             the LLM backend failed (after retries)
     │    ├── BackendUnavailable  cannot connect, or the embedded server did not start
     │    ├── BackendTimeout      the request timed out
     │    ├── RateLimited         429 and retries exhausted
     │    ├── BackendResponseError  any other HTTP error status from the backend
     │    └── RecordingMissing    replay backend: no recorded response for the request
     │         └── AnswerPending  batch-API engine: the provider has not answered this request yet
     ├── ExtractionError          the model's output stayed invalid after validation re-asks
     └── StorageError             the server's own files (stored results, batch jobs) cannot be read or written
"""

from __future__ import annotations

from pathlib import Path


class SummarizerError(Exception):
    """Base class of every error raised on purpose by summarizer."""


class ConfigError(SummarizerError):
    """Settings or configuration cannot be used."""


class RuleFileError(ConfigError):
    """A rule or lexicon file (``summarizer/rules/*.yaml``) cannot be used; the message names the file and line."""


class PromptError(ConfigError):
    """A prompt file is invalid, a variable is missing, or the version is unknown."""

    def __init__(self, message: str, *, name: str | None = None, version: str | None = None):
        super().__init__(message)
        self.name = name
        self.version = version


class InputError(SummarizerError):
    """The article itself is unusable; ``origin`` names the file, line or request it came from."""

    def __init__(self, message: str, *, origin: str | None = None):
        super().__init__(f"{origin}: {message}" if origin else message)
        self.reason = message
        self.origin = origin


class ModelFileError(SummarizerError):
    """The embedded model weights are missing, incomplete or fail their checksum."""


class BackendError(SummarizerError):
    """The LLM backend failed after the configured retries."""

    def __init__(self, message: str, *, attempts: int | None = None, status_code: int | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.status_code = status_code


class BackendUnavailable(BackendError):
    """The backend cannot be reached (connection refused, server not started)."""


class BackendTimeout(BackendError):
    """The backend did not answer in time."""


class RateLimited(BackendError):
    """The backend kept answering 429; ``retry_after`` is its last hint in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None, attempts: int | None = None):
        super().__init__(message, attempts=attempts, status_code=429)
        self.retry_after = retry_after


class BackendResponseError(BackendError):
    """The backend answered with an error status that retries did not cure."""


class RecordingMissing(BackendError):
    """The replay backend has no recording for a request; the message says how to record it."""

    def __init__(self, message: str, *, key: str, path: Path):
        super().__init__(message)
        self.key = key
        self.path = path


class AnswerPending(RecordingMissing):
    """The batch-API engine has no downloaded answer for a request yet; ``request`` is what to submit.

    A recording not made yet, in effect: never retried, never a live call. The engine collects these,
    submits them to the provider, and runs the article again once the answers are downloaded.
    """

    def __init__(self, message: str, *, key: str, path: Path, request: object = None):
        super().__init__(message, key=key, path=path)
        self.request = request


class ExtractionError(SummarizerError):
    """The model's output did not validate against the schema, even after re-asking."""

    def __init__(self, message: str, *, attempts: int | None = None):
        super().__init__(message)
        self.attempts = attempts


class StorageError(SummarizerError):
    """The server's stored results or batch files cannot be read or written (read-only, corrupt, disk full).

    ``reason`` says what failed without naming server paths (clients see it); ``path`` names the file or
    directory for the server's own messages and logs.
    """

    def __init__(self, reason: str, *, path: Path | None = None):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path
