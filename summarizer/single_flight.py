"""One generation per key: requests for the same article that arrive together wait for the one in flight
and are then served what it made, instead of each paying the model.

Three rings, innermost first: a lock per key within the process; then, across processes, either a
PostgreSQL advisory lock on the key (every instance sharing ``SUMMARIZER_DATABASE_URL``) or, on one host,
an exclusive ``flock`` on one of 256 lock files under ``<data_dir>/locks/`` chosen by the key (two keys
that share a file wait for each other across processes, one pair in 256; never within a process, where
the key's own lock decides). A shared lock that cannot be taken (the database is down) is logged and
skipped: the request is served, at worst generated twice. So is a wait for the database's lock past
``wait_s``: its holder may be a frozen or cut-off instance, whose work another instance has taken over
(a batch line whose lease ran out), and nobody should wait for it forever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

STRIPES = 256


class SingleFlight:
    """``with flight.hold(key): ...`` runs one holder of ``key`` at a time, across threads and processes."""

    def __init__(self, *, lock_dir: Path, database_url: str | None = None, wait_s: float = 300.0):
        self.lock_dir = lock_dir
        self.database_url = database_url
        self.wait_s = wait_s
        self._guard = threading.Lock()
        self._held: dict[str, tuple[threading.Lock, int]] = {}  # key -> (its lock, holders and waiters)

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._key_lock(key), self._shared_lock(key):
            yield

    @contextmanager
    def _key_lock(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._held.get(key, (threading.Lock(), 0))
            self._held[key] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._held[key]
                if users == 1:
                    del self._held[key]
                else:
                    self._held[key] = (lock, users - 1)

    def _shared_lock(self, key: str) -> AbstractContextManager[None]:
        return self._advisory_lock(key) if self.database_url is not None else self._file_lock(key)

    @contextmanager
    def _advisory_lock(self, key: str) -> Iterator[None]:
        import psycopg
        from psycopg_pool import PoolTimeout

        from summarizer.db import postgres
        from summarizer.db.url import scrub

        assert self.database_url is not None
        number = int(key[:15], 16)  # 60 bits of the key's sha256: a bigint
        with ExitStack() as stack:
            try:
                conn = stack.enter_context(postgres.pool(self.database_url).connection())
                # lock_timeout for this transaction only; the session-level lock outlives the commit
                conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{int(self.wait_s * 1000)}ms",))
                conn.execute("SELECT pg_advisory_lock(%s)", (number,))
                conn.commit()
            except (psycopg.Error, PoolTimeout) as exc:
                log.warning("generating without the shared lock (%s)", scrub(str(exc), self.database_url))
                stack.close()
                conn = None
            try:
                yield
            finally:
                if conn is not None:
                    try:
                        conn.execute("SELECT pg_advisory_unlock(%s)", (number,))
                        conn.commit()
                    except psycopg.Error:  # the connection broke: the server has released its locks
                        pass

    @contextmanager
    def _file_lock(self, key: str) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # not POSIX: the process's lock only
            yield
            return
        try:
            self.lock_dir.mkdir(parents=True, exist_ok=True)
            handle = (self.lock_dir / f"{int(key[:2], 16) % STRIPES:03d}.lock").open("a+b")
        except OSError as exc:
            log.warning("generating without the shared lock (%s)", exc)
            yield
            return
        with handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
