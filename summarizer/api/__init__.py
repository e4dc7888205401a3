"""The REST API (Litestar). ``create_app`` is imported on first use, so ``summarizer.api.gate`` or
``summarizer.api.store`` can be imported without building the whole application."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from summarizer.api.app import create_app

        return create_app
    raise AttributeError(f"module 'summarizer.api' has no attribute {name!r}")


if TYPE_CHECKING:
    from summarizer.api.app import create_app
