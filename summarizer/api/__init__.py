"""The REST API (Litestar)."""

from summarizer.api.app import create_app

__all__ = ["create_app"]
