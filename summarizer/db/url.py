"""The database URL: checked once, and never shown with its password (logs, errors, /ready, metrics)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from summarizer.errors import ConfigError

SCHEMES = frozenset({"postgresql", "postgres"})


def redact(url: str) -> str:
    """``url`` with its password, if any, replaced by ``***``."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return "<a database URL that cannot be read>"
    if password is None:
        return url
    user, _, host = parts.netloc.rpartition("@")
    name = user.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))


def postgres_url(url: str) -> str:
    """``url`` when it is a PostgreSQL URL (``postgresql://user:password@host:port/database``), else a
    ``ConfigError`` that names it redacted."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is no number raises here
    except ValueError as exc:
        raise ConfigError(f"SUMMARIZER_DATABASE_URL is not a URL ({redact(url)}): {exc}") from None
    if parts.scheme not in SCHEMES or (not parts.hostname and not parts.query):
        raise ConfigError(
            f"SUMMARIZER_DATABASE_URL must be a PostgreSQL URL such as postgresql://user:password@host:5432/db, "
            f"not {redact(url)}"
        )
    return url


def scrub(message: str, url: str) -> str:
    """``message`` (a driver's error) with the password of ``url`` replaced by ``***`` wherever it stands."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return message.replace(password, "***") if password else message
