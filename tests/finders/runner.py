"""Run the sentence corpus (``tests/finders/cases.jsonl``): what each case's text gives, and whether it
gives what the case says it must and must not.

A case is one JSON object a line:

    {"id": "figure-at-least-25", "kind": "finders",
     "text": "At least 25 fighters were killed in the strikes.",
     "fires": ["figure.count.modifier-before"],       # rules that must apply somewhere in the text
     "not": ["figure.drop.counts-things"],           # rules that must not (a near miss lists its rule here)
     "expect": {"figures": [{"count": "At least 25", "outcome": "killed", "victims": "fighters"}]},
     "reject": {"figures": [{"count": "25"}]},       # facts that must not be given
     "note": "what the case is about"}

``kind`` is "finders" (the default: the finders and the code-only extraction on ``text``), "date"
(``resolve_dates`` against ``published``), "count" (``parse_count``) or "text" (``normalize``'s
repair of broken encodings). An expected fact matches a fact that has every field it names with that
value (a list field must be equal as a list); ``xfail`` names a known miss (the case must fail, and
counts for no rule's coverage).

    python -m tests.finders.runner [FILE ...] [--rules figures] [--verbose]   # check cases, list coverage
    python -m tests.finders.runner [FILE ...] --rules figures --mutate         # and switch each rule off

``--mutate`` switches each of the finder's rules off in turn and names the rules no case notices: a case
notices when its facts (``expect``/``reject``, not ``fires``) come out wrong without the rule.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases.jsonl"
KINDS = ("finders", "date", "count", "text")
FACT_LISTS = (
    "figures",
    "actions",
    "statements",
    "actors",
    "passages",
    "dropped",
    "composed_actors",
    "composed_actions",
    "composed_figures",
    "composed_statements",
)


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    text: str
    fires: tuple[str, ...] = ()
    never: tuple[str, ...] = ()  # "not" in the file
    expect: dict[str, Any] = field(default_factory=dict)
    reject: dict[str, Any] = field(default_factory=dict)
    published: str | None = None
    note: str = ""
    xfail: str | None = None
    line: int = 0
    source: str = ""

    @classmethod
    def of(cls, data: dict[str, Any], *, line: int, source: str) -> Case:
        unknown = set(data) - {"id", "kind", "text", "fires", "not", "expect", "reject", "published", "note", "xfail"}
        if unknown:
            raise ValueError(f"{source}:{line}: unknown keys {sorted(unknown)}")
        kind = data.get("kind", "finders")
        if kind not in KINDS:
            raise ValueError(f"{source}:{line}: kind {kind!r} is none of {KINDS}")
        for key in ("expect", "reject"):
            if kind == "finders" and set(data.get(key, {})) - set(FACT_LISTS):
                raise ValueError(f"{source}:{line}: {key} names no fact list of {FACT_LISTS}")
        return cls(
            id=data["id"],
            kind=kind,
            text=data["text"],
            fires=tuple(data.get("fires", ())),
            never=tuple(data.get("not", ())),
            expect=data.get("expect", {}),
            reject=data.get("reject", {}),
            published=data.get("published"),
            note=data.get("note", ""),
            xfail=data.get("xfail"),
            line=line,
            source=source,
        )


def load_cases(*paths: Path) -> list[Case]:
    """The cases of the files (``cases.jsonl`` by default); ids are unique across them."""
    found: list[Case] = []
    seen: dict[str, str] = {}
    for path in paths or (CASES,):
        for number, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):  # a text may hold U+2028
            if not raw.strip():
                continue
            case = Case.of(json.loads(raw), line=number, source=path.name)
            if case.id in seen:
                raise ValueError(f"{path.name}:{number}: case id {case.id!r} is also at {seen[case.id]}")
            seen[case.id] = f"{path.name}:{number}"
            found.append(case)
    return found


# --- what a text gives ------------------------------------------------------------------------


@dataclass
class Given:
    """What one case's text gave: its facts by list, and every rule that applied anywhere."""

    facts: dict[str, list[Any]]
    fired: set[str]


@cache
def _parse(text: str) -> Any:
    from summarizer.analysis.nlp import parse

    return parse(text)


@contextmanager
def parse_once() -> Iterator[None]:
    """Parse each text once for all the runs in the block (the mutation test runs a case many times)."""
    from summarizer.analysis import document

    original = document.parse
    document.parse = _parse  # type: ignore[assignment]
    try:
        yield
    finally:
        document.parse = original  # type: ignore[assignment]


def given(case: Case) -> Given:
    """Run the case's text through what its kind tests."""
    if case.kind == "date":
        from summarizer.stories.dates import resolve_dates

        published = date.fromisoformat(case.published) if case.published else None
        return Given({"dates": [d.isoformat() for d in resolve_dates(case.text, published)]}, set())
    if case.kind == "count":
        from summarizer.counts import parse_count

        low, high = parse_count(case.text)
        return Given({"count": [{"low": low, "high": high}]}, set())
    if case.kind == "text":
        from summarizer.normalize import repair_encoding

        return Given({"normalized": [repair_encoding(case.text)[0]]}, set())
    return _finders(case.text)


def _finders(text: str) -> Given:
    from summarizer.analysis.finders import find_candidates
    from summarizer.rules.engine import collect
    from summarizer.strategies.candidates import code_extraction

    with collect() as trace:
        found = find_candidates(text)
        extraction = code_extraction(found)
    facts: dict[str, list[Any]] = {
        "figures": [
            {
                "count": f.phrase,
                "outcome": f.outcome.value,
                "victims": f.victims,
                "event": f.event,
                "reported_by": found.reporters[f.start].name if f.start in found.reporters else None,
            }
            for f in found.figures
        ],
        "actions": [
            {
                "trigger": e.trigger,
                "type": e.type.value,
                "actors": list(e.actors),
                "targets": list(e.targets),
                "location": e.location,
                "instrument": e.instrument,
                "time": e.time,
                "modality": e.modality.value,
            }
            for e in found.events
        ],
        "statements": [
            {
                "text": s.text,
                "verbatim": s.verbatim,
                "speaker": s.attribution.speaker.name if s.attribution else None,
                "written": s.attribution.written.text if s.attribution else None,
                "confident": s.attribution.confident if s.attribution else None,
            }
            for s in found.statements
        ],
        "actors": [
            {"name": r.name, "kind": r.kind.value, "title": r.title, "aliases": list(r.aliases)}
            for r in found.actors.ranked(20)
        ],
        "passages": [text[s:e] for s, e in found.passages],
        "dropped": [{"kind": d.kind, "text": d.text, "dropped_by": d.dropped_by} for d in found.dropped],
        "composed_actors": [a.model_dump(mode="json", exclude={"rules", "evidence"}) for a in extraction.actors],
        "composed_actions": [a.model_dump(mode="json", exclude={"rules", "evidence"}) for a in extraction.actions],
        "composed_figures": [c.model_dump(mode="json", exclude={"rules", "evidence"}) for c in extraction.casualties],
        "composed_statements": [s.model_dump(mode="json", exclude={"rules", "about"}) for s in extraction.statements],
    }
    return Given(facts, set(trace.fired))


# --- judging ----------------------------------------------------------------------------------


def _matches(expected: dict[str, Any], actual: Any) -> bool:
    if not isinstance(actual, dict):
        return expected == actual
    return all(key in actual and actual[key] == value for key, value in expected.items())


def fact_problems(case: Case, result: Given) -> list[str]:
    """What the case's facts say that the text did not give, or gave though it must not."""
    problems: list[str] = []
    if case.kind in {"date", "count", "text"}:
        wanted = case.expect
        got = {"dates": result.facts.get("dates")} if case.kind == "date" else {}
        if case.kind == "date" and sorted(wanted.get("dates", [])) != sorted(result.facts["dates"]):
            problems.append(f"dates: expected {wanted.get('dates')}, got {got['dates']}")
        if case.kind == "count" and [wanted] != result.facts["count"]:
            problems.append(f"count: expected {wanted}, got {result.facts['count'][0]}")
        if case.kind == "text" and wanted.get("normalized") != result.facts["normalized"][0]:
            problems.append(f"normalized: expected {wanted.get('normalized')!r}, got {result.facts['normalized'][0]!r}")
        return problems
    for name, expected_items in case.expect.items():
        for expected in expected_items:
            if not any(_matches(expected, actual) for actual in result.facts[name]):
                problems.append(f"{name}: expected {expected}, got {result.facts[name]}")
    for name, rejected_items in case.reject.items():
        for rejected in rejected_items:
            hits = [actual for actual in result.facts[name] if _matches(rejected, actual)]
            if hits:
                problems.append(f"{name}: must not give {rejected}, gave {hits}")
    return problems


def rule_problems(case: Case, result: Given) -> list[str]:
    """Rules the case says must apply and did not, or must not and did."""
    missing = [r for r in case.fires if r not in result.fired]
    wrong = [r for r in case.never if r in result.fired]
    return [f"rule {r} did not apply" for r in missing] + [f"rule {r} applied, and must not" for r in wrong]


def problems(case: Case) -> list[str]:
    result = given(case)
    return rule_problems(case, result) + fact_problems(case, result)


def noticed_by(rule_id: str, cases: list[Case]) -> str | None:
    """The first case whose facts come out wrong with ``rule_id`` switched off (its own cases first)."""
    from summarizer.rules.engine import disabled

    ordered = sorted(cases, key=lambda c: rule_id not in c.fires)
    with disabled(rule_id):
        for case in ordered:
            if case.kind == "finders" and not case.xfail and fact_problems(case, given(case)):
                return case.id
    return None


# --- the command ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help="case files (default: tests/finders/cases.jsonl)")
    parser.add_argument("--rules", help="list the coverage of this finder's rules (figures, events, ...)")
    parser.add_argument("--verbose", action="store_true", help="print what each failing case gave")
    parser.add_argument(
        "--mutate", action="store_true", help="with --rules: switch each rule off, name those unnoticed"
    )
    args = parser.parse_args(argv)
    cases = load_cases(*args.files)
    failed = 0
    with parse_once():
        for case in cases:
            found = problems(case)
            if bool(found) != bool(case.xfail):
                failed += 1
                print(f"FAIL {case.source}:{case.line} {case.id}: " + ("; ".join(found) or "passes, but is xfail"))
                if args.verbose and case.kind == "finders":
                    print("   gave:", json.dumps(given(case).facts, ensure_ascii=False)[:2000])
    print(f"{len(cases) - failed}/{len(cases)} cases pass")
    if args.rules:
        from summarizer.rules.loader import rules

        found_rules = rules()
        for rule_id, finder in found_rules.finder_of.items():
            if finder != args.rules:
                continue
            fires = [c.id for c in cases if rule_id in c.fires and not c.xfail]
            never = [c.id for c in cases if rule_id in c.never and not c.xfail]
            mark = "ok " if fires and never else "-- "
            line = f"{mark}{rule_id}: fires in {len(fires)}, near misses {len(never)}"
            if args.mutate and found_rules.by_id[rule_id].switchable and found_rules.by_id[rule_id].acts != "model":
                with parse_once():
                    by = noticed_by(rule_id, cases)
                line += f"; switched off, noticed by {by}" if by else "; switched off, NOTICED BY NO CASE"
            print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
