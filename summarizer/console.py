"""What every command shares: one stderr console, one-line messages, settings and logging set-up."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from summarizer.settings import Settings

stderr = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``summarizer: error: message`` on one line and exit with ``code``."""
    stderr.print(f"summarizer: error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    stderr.print(f"summarizer: {message}", markup=False, highlight=False, soft_wrap=True)


def configure_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="summarizer: warning: %(message)s", stream=sys.stderr)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # its retry chatter duplicates our errors
    logging.getLogger("httpx2").setLevel(logging.WARNING)


def settings_or_fail(**overrides: object) -> Settings:
    """Settings from the environment plus command-line overrides; an invalid value is a one-line error."""
    from pydantic import ValidationError  # pydantic-settings costs a tenth of a second: not for --help

    from summarizer.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"invalid setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
