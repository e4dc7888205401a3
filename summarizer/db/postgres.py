"""One PostgreSQL connection pool per database URL and process, opened at first use, migrated once.

psycopg 3 and psycopg_pool are imported here only (the ``postgres`` extra). The pool reconnects by itself,
so a database that went away and came back needs no manual step; while it is away every use raises a
``StorageError`` whose words name neither the URL nor its password (clients read them; the server's log
gets the URL redacted).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from summarizer.db.migrations import migrate_postgres
from summarizer.db.url import postgres_url, redact, scrub
from summarizer.errors import ConfigError, StorageError

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'summarizer[postgres]' (psycopg 3 and psycopg-pool)"
# How long a request waits for a connection before it is told the database is unavailable (503).
CONNECT_TIMEOUT_S = 5.0

# Connections speak UTF-8 whatever the database's own encoding: with SQL_ASCII, psycopg would hand text
# back as bytes (a stored summary read as "b'{...}'").
CLIENT_ENCODING = "utf8"

# Connections an instance may open. Every article waiting for or in a generation holds one for its
# single-flight lock (``single_flight.py``), taken before the gate: up to api_concurrency + api_max_queue
# interactive requests (4 + 8 by default) and 8 batch workers, and their cache reads and claims want one
# more each for a moment. PostgreSQL allows 100 by default: three instances fit.
POOL_MAX_SIZE = 32

# A transaction left open longer than this (its process frozen, cut off, or stuck) is ended by the server,
# so the row locks it held cannot stall the other instances: every transaction here lasts milliseconds.
IDLE_IN_TRANSACTION_MS = 10_000

_pools: dict[str, ConnectionPool[psycopg.Connection[tuple[object, ...]]]] = {}
_migrated: set[str] = set()
_lock = threading.Lock()


def pool(url: str, *, max_size: int = POOL_MAX_SIZE) -> ConnectionPool[psycopg.Connection[tuple[object, ...]]]:
    """The process's pool for ``url`` (made and opened on first use, without waiting for the database)."""
    postgres_url(url)
    with _lock:
        found = _pools.get(url)
        if found is None:
            try:
                from psycopg_pool import ConnectionPool
            except ImportError as exc:
                raise _no_driver() from exc
            found = ConnectionPool(
                url,
                min_size=1,
                max_size=max_size,
                timeout=CONNECT_TIMEOUT_S,
                kwargs={
                    "connect_timeout": int(CONNECT_TIMEOUT_S),
                    "client_encoding": CLIENT_ENCODING,
                    "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}",
                },
                check=ConnectionPool.check_connection,  # a connection broken by a restart is replaced, not used
                name="summarizer",
                open=False,
            )
            found.open(wait=False)
            _pools[url] = found
        return found


def connect(url: str, *, timeout_s: float) -> psycopg.Connection[tuple[object, ...]]:
    """One connection outside the pool (the ``db`` commands): ``psycopg.Error`` when it cannot be made."""
    try:
        import psycopg
    except ImportError as exc:
        raise _no_driver() from exc
    return psycopg.connect(postgres_url(url), connect_timeout=max(1, int(timeout_s)), client_encoding=CLIENT_ENCODING)


def _no_driver() -> ConfigError:
    return ConfigError(f"SUMMARIZER_DATABASE_URL needs the PostgreSQL driver: {INSTALL_HINT}")


@contextmanager
def connection(url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A pooled connection to ``url``, its schema migrated (once per process), inside one transaction:
    committed when the block ends, rolled back when it raises. Database failures become ``StorageError``."""
    import psycopg
    from psycopg_pool import PoolTimeout

    try:
        with pool(url).connection() as conn:
            if url not in _migrated:
                applied = migrate_postgres(conn)
                if applied:
                    log.info("database %s: applied migrations %s", redact(url), [m.version for m in applied])
                _migrated.add(url)
            with conn.transaction():
                yield conn
    except (psycopg.OperationalError, PoolTimeout) as exc:
        log.warning("database %s unavailable: %s", redact(url), scrub(str(exc), url))
        raise StorageError("the database is unavailable") from exc
    except psycopg.Error as exc:
        log.warning("database %s failed: %s", redact(url), scrub(str(exc), url))
        raise StorageError(f"the database failed ({type(exc).__name__})") from exc


def close_all() -> None:
    """Close every pool of this process (tests, and a server's shutdown)."""
    with _lock:
        for found in _pools.values():
            found.close()
        _pools.clear()
        _migrated.clear()
