"""The sentence corpus (``tests/finders/cases.jsonl``) guards every rule.

- Every case gives what it says it must and nothing it says it must not (one test per case, its id in
  the test id); a case marked ``xfail`` is a known miss and must still fail.
- Every rule has a case where it applies and a near miss where it must not (the coverage test).
- Switching any rule off makes some case's facts come out wrong (the mutation test): a rule no case
  notices is a rule nothing guards.
- Every regular expression of the finders and stories code is named and exercised by a case or a test.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer.rules.loader import rules
from tests.finders.runner import Case, load_cases, noticed_by, parse_once, problems

CASES = load_cases()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def _parsed_once() -> Iterator[None]:
    with parse_once():
        yield


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(case: Case) -> None:
    found = problems(case)
    if case.xfail:
        assert found, f"{case.id} passes now: remove its xfail ({case.xfail})"
        pytest.xfail(case.xfail)
    assert not found, f"{case.source}:{case.line} {case.id} ({case.note}):\n" + "\n".join(found)


def test_the_corpus_holds_at_least_300_cases_of_every_kind() -> None:
    assert len(CASES) >= 300
    kinds = {case.kind for case in CASES}
    assert kinds == {"finders", "date", "count", "text"}


def _guarded_rules() -> list[str]:
    """Every rule but the model's (no sentence makes the model answer in these tests)."""
    return [rule_id for rule_id, spec in rules().by_id.items() if spec.acts != "model"]


def test_every_rule_fires_in_a_case_and_stays_silent_in_a_near_miss() -> None:
    live = [case for case in CASES if not case.xfail]
    missing = []
    for rule_id in _guarded_rules():
        if not any(rule_id in case.fires for case in live):
            missing.append(f"{rule_id}: no case where it fires")
        if not any(rule_id in case.never for case in live):
            missing.append(f"{rule_id}: no near miss")
    assert missing == []


def test_every_rule_a_case_names_exists() -> None:
    declared = set(rules().by_id)
    unknown = sorted({(case.id, r) for case in CASES for r in (*case.fires, *case.never) if r not in declared})
    assert unknown == []


def test_switching_any_rule_off_is_noticed_by_a_case() -> None:
    unnoticed = [
        rule_id
        for rule_id in _guarded_rules()
        if rules().rule(rule_id).switchable and noticed_by(rule_id, CASES) is None
    ]
    assert unnoticed == [], "rules whose loss no case notices"


# --- the regular expressions of the code: each named and exercised -----------------------------

# Each module-level regular expression of summarizer/analysis and summarizer/stories (a text's shape, or a
# pattern built around word classes), and a case or test that exercises it.
SHAPES = {
    "analysis/actors.py:_ACRONYM": "act-alias-acronym-tplf",
    "analysis/actors.py:_CITATION": "tests/test_analysis.py::test_a_citation_mark_is_no_part_of_a_name",
    "analysis/figures.py:_NUMBER_SHAPE": "fig-number-digits-killed",
    "analysis/injection.py:_SENTENCE": "inj-order-follows-system-note",
    "analysis/quotes.py:_PARAGRAPH": "stm-quote-continues-next-paragraph",
    "analysis/timeframe.py:_YEAR": "time-earlier-year-background",
    "analysis/quotes.py:_WORD": "stm-scare-quote-two-words",
    "analysis/statements.py:_TWEET": "stm-tweet-handle-resolved",
    "stories/causes.py:_CAUSE": "tests/test_stories.py::test_what_an_action_answered_is_an_event_of_its_own_with_its_own_figure_place_and_day",
    "stories/dates.py:_WEEKDAY": "date-on-sunday",
    "stories/dates.py:_MONTH_DAY": "date-month-day-crosses-year",
    "stories/dates.py:_DAY_MONTH": "date-day-month-crosses-year",
    "stories/dates.py:_FULL_DATE": "date-full-date-no-publication",
    "stories/dates.py:_RELATIVE_PATTERN": "date-yesterday",
    "stories/incidents.py:_BACKGROUND_TIME": "tests/test_stories.py::test_an_action_dated_over_a_span_of_the_past_is_background_not_an_incident",
    "stories/incidents.py:_PLACE": "tests/test_stories.py::test_the_untold_parts_of_one_attack_are_one_incident_and_another_place_is_another",
    "stories/names.py:_POSSESSIVE": "tests/test_stories.py::test_names_match_across_outlets_but_generic_words_do_not",
}


def _module_regexes() -> set[str]:
    found = set()
    for folder in ("analysis", "stories"):
        for path in sorted((ROOT / "summarizer" / folder).glob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                call = getattr(node, "value", None)
                is_compile = isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "compile"
                if isinstance(node, ast.Assign) and is_compile:
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            found.add(f"{folder}/{path.name}:{target.id}")
    return found


def test_every_regular_expression_of_the_code_is_named_and_exercised() -> None:
    assert _module_regexes() == set(SHAPES), "a regular expression of the finders or stories with no case here"
    ids = {case.id for case in CASES}
    for name, witness in SHAPES.items():
        if witness.startswith("tests/"):
            path, _, function = witness.partition("::")
            assert re.search(rf"^def {function}\(", (ROOT / path).read_text(encoding="utf-8"), re.M), (name, witness)
        else:
            assert witness in ids, (name, witness)
