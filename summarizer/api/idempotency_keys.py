"""What the stores keep of an ``Idempotency-Key`` (``idempotency`` is the HTTP side): the first response to
a key, where a key stands, and the times a claim is judged by. No web framework here: the stores import it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Replay:
    """The first response to a key: what a repeat of its request gets."""

    status: int
    body: str
    location: str | None


@dataclass(frozen=True)
class Claim:
    """Where a key stands: ``"claimed"`` (this request runs), ``"in-flight"``, ``"mismatch"``, or a replay."""

    outcome: str
    replay: Replay | None = None


@dataclass(frozen=True)
class KeyTimes:
    """Now, the oldest a finished key may be (retention), and the oldest an unfinished claim may be."""

    now: str
    kept_after: str
    live_after: str

    @classmethod
    def at(cls, now: datetime, *, keep: timedelta, in_flight: timedelta) -> KeyTimes:
        return cls(now.isoformat(), (now - keep).isoformat(), (now - in_flight).isoformat())


def claim_from(row: tuple[object, ...] | None, fingerprint: str) -> Claim:
    """Where a key stands, from its row ((fingerprint, status, body, location); None: this request claimed it)."""
    if row is None:
        return Claim("claimed")
    stored_fingerprint, status, body, location = row
    if stored_fingerprint != fingerprint:
        return Claim("mismatch")
    if status is None:
        return Claim("in-flight")
    return Claim("replay", Replay(int(str(status)), str(body), None if location is None else str(location)))
