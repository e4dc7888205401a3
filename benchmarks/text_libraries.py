"""Who reads dates, number words and broken encodings better: the project's code or a well-kept library.

The cases are hand-written, one JSON object a line, in ``tests/finders/cases.jsonl``:

- ``date``: ``summarizer.stories.dates.resolve_dates(text, published)`` against dateparser's
  ``search_dates`` with the publication day as its relative base (``PREFER_DATES_FROM="past"``; only
  matches whose period is a day, so "May" or "last week" name no date; without a publication day, only
  dates with a day, month and year, from its absolute parsers). Both of its search strategies are shown.
- ``count``: ``summarizer.counts.parse_count`` against the same function with its number reading
  (``words_to_int``) replaced by a library's: text2num's ``alpha2digit`` (``threshold=0``: every number
  word) or number-parser's ``parse``, then the first number in digits. The bound words ("more than",
  "at least", ranges, vague words) stay ours in every variant: the question is who reads number words.
- ``text``: no repair (what ``normalize`` did before), ftfy's defaults, and ftfy as
  ``summarizer.normalize.repair_encoding`` runs it (``encoding_fixes()``), with and without HTML entities.

Printed, per kind: the cases each candidate passes and the median microseconds per case (the median
over cases of each case's fastest of a few runs, after one warm-up call); ``--verbose`` lists every
failure with what the candidate gave. A library that is not installed is reported and skipped.

    python benchmarks/text_libraries.py [--verbose] [--repeat 3] [--cases tests/finders/cases.jsonl]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from summarizer import counts
from summarizer.normalize import encoding_fixes, repair_encoding
from summarizer.stories.dates import resolve_dates

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "finders" / "cases.jsonl"
KINDS = ("date", "count", "text")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    text: str
    published: date | None
    expect: Any  # the answer in the candidates' terms: sorted ISO dates, (low, high) or the repaired text
    note: str


@dataclass(frozen=True)
class Candidate:
    name: str
    run: Callable[[Case], Any]  # a case -> an answer comparable with ``Case.expect``


@dataclass(frozen=True)
class Result:
    name: str
    passed: int
    total: int
    median_us: float
    failures: list[tuple[Case, Any]]


def load_cases(path: Path) -> list[Case]:
    """The cases of one JSON Lines file (split on "\\n" only: a case's text may hold other line breaks)."""
    cases = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        raw = json.loads(line)
        kind, expect = raw.get("kind", "finders"), raw.get("expect", {})
        if kind not in KINDS:
            continue  # the finders' cases: tests/finders/runner.py runs them
        if kind == "date":
            answer: Any = sorted(expect["dates"])
        elif kind == "count":
            answer = (expect["low"], expect["high"])
        else:  # "text"
            answer = expect["normalized"]
        published = raw.get("published")
        cases.append(
            Case(
                raw["id"], kind, raw["text"], date.fromisoformat(published) if published else None, answer, raw["note"]
            )
        )
    return cases


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


# Dates


def ours_dates(case: Case) -> list[str]:
    return sorted({found.isoformat() for found in resolve_dates(case.text, case.published)})


def dateparser_dates(strategy: str) -> Callable[[Case], list[str]]:
    """dateparser's ``search_dates`` with the publication day as its relative base."""
    from dateparser.search import search_dates  # type: ignore[import-untyped]

    def run(case: Case) -> list[str]:
        settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
        if case.published is None:
            # No publication day: nothing relative may resolve, so only dates with every part, read by the
            # parsers of absolute dates (the base is then only a placeholder).
            settings["RELATIVE_BASE"] = datetime(1900, 1, 1)
            settings["REQUIRE_PARTS"] = ["day", "month", "year"]
            settings["PARSERS"] = ["custom-formats", "absolute-time"]
        else:
            settings["RELATIVE_BASE"] = datetime.combine(case.published, datetime.min.time())
        found = search_dates(case.text, languages=["en"], settings=settings, strategy=strategy, add_period=True)
        # A match whose period is a month, a week or a year ("may", "last week") names no calendar day.
        return sorted({moment.date().isoformat() for _, moment, period in found or [] if period == "day"})

    return run


# Counts


def first_number_in_digits(text: str) -> int | None:
    """The first number written in digits ("1,200" -> 1200; "2.5" -> 2, as ``words_to_int`` reads it)."""
    found = _DIGITS.search(text)
    return int(float(found.group().replace(",", ""))) if found else None


def count_reader(to_digits: Callable[[str], str]) -> Callable[[Case], tuple[int | None, int | None]]:
    """``parse_count`` with its number reading done by ``to_digits`` (words -> digits), then digits read."""

    def read(phrase: str) -> int | None:
        return first_number_in_digits(to_digits(phrase))

    def run(case: Case) -> tuple[int | None, int | None]:
        with mock.patch.object(counts, "words_to_int", read):
            return counts.parse_count(case.text)

    return run


def ours_count(case: Case) -> tuple[int | None, int | None]:
    return counts.parse_count(case.text)


def text2num_count() -> Callable[[Case], tuple[int | None, int | None]]:
    from text_to_num import alpha2digit  # type: ignore[import-untyped]

    def to_digits(phrase: str) -> str:
        return str(alpha2digit(phrase, "en", threshold=0))  # threshold 0: "one" and "two" too

    return count_reader(to_digits)


def number_parser_count() -> Callable[[Case], tuple[int | None, int | None]]:
    from number_parser import parse  # type: ignore[import-untyped]

    def to_digits(phrase: str) -> str:
        return str(parse(phrase, language="en"))

    return count_reader(to_digits)


# Encodings


def no_repair(case: Case) -> str:
    return case.text


def ftfy_defaults(case: Case) -> str:
    import ftfy

    return ftfy.fix_text(case.text)


def ftfy_as_normalize(case: Case) -> str:
    return repair_encoding(case.text)[0]


def ftfy_as_normalize_without_entities(case: Case) -> str:
    import ftfy

    return ftfy.fix_text(case.text, encoding_fixes()._replace(unescape_html=False))


# Running


def candidates(kind: str) -> tuple[list[Candidate], list[str]]:
    """The candidates for one kind, and a note for each library that is not installed."""
    found: list[Candidate] = []
    missing: list[str] = []
    if kind == "date":
        found.append(Candidate("ours", ours_dates))
        if installed("dateparser"):
            found.append(Candidate("dateparser (ngram)", dateparser_dates("ngram")))
            found.append(Candidate("dateparser (split)", dateparser_dates("split")))
        else:
            missing.append("dateparser")
    elif kind == "count":
        found.append(Candidate("ours", ours_count))
        for module, name, make in (
            ("text_to_num", "text2num", text2num_count),
            ("number_parser", "number-parser", number_parser_count),
        ):
            if installed(module):
                found.append(Candidate(name, make()))
            else:
                missing.append(name)
    else:
        found.append(Candidate("no repair", no_repair))
        if installed("ftfy"):
            found.append(Candidate("ftfy defaults", ftfy_defaults))
            found.append(Candidate("ftfy as normalize", ftfy_as_normalize))
            found.append(Candidate("ftfy as normalize, entities kept", ftfy_as_normalize_without_entities))
        else:
            missing.append("ftfy")
    return found, missing


def measure(candidate: Candidate, cases: Sequence[Case], repeat: int) -> Result:
    candidate.run(cases[0])  # warm-up: a library's first call loads its data
    failures: list[tuple[Case, Any]] = []
    timings: list[float] = []
    for case in cases:
        fastest = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            answer = candidate.run(case)
            fastest = min(fastest, time.perf_counter() - started)
        timings.append(fastest)
        if answer != case.expect:
            failures.append((case, answer))
    return Result(candidate.name, len(cases) - len(failures), len(cases), statistics.median(timings) * 1e6, failures)


def summary(kind: str, results: Sequence[Result], missing: Sequence[str]) -> str:
    label = {"date": "dates", "count": "counts", "text": "encodings"}[kind]
    passed = ", ".join(f"{r.name} {r.passed}/{r.total}" for r in results)
    timing = " vs ".join(f"{r.median_us:.{0 if r.median_us >= 10 else 1}f} µs" for r in results)
    line = f"{label}: {passed} (median {timing})"
    if missing:
        line += f"; not installed: {', '.join(missing)}"
    return line


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case; its fastest counts")
    parser.add_argument("--verbose", action="store_true", help="list every failure")
    args = parser.parse_args(argv)
    cases = load_cases(args.cases)
    for kind in KINDS:
        chosen = [case for case in cases if case.kind == kind]
        if not chosen:
            continue
        found, missing = candidates(kind)
        results = [measure(candidate, chosen, args.repeat) for candidate in found]
        print(summary(kind, results, missing))
        if args.verbose:
            for result in results:
                for case, answer in result.failures:
                    print(f"  {result.name} fails {case.id}: {case.text!r} gave {answer!r}, expected {case.expect!r}")


if __name__ == "__main__":
    main()
