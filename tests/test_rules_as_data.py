"""The finders' words and rules are data: no word list in code, every rule declared and used, bad rule
files named with their line.

The AST check reads every module of ``summarizer/analysis`` and ``summarizer/stories`` and fails on a word
list in any form: a literal collection of three or more words (a set, list, tuple or dict), a string of
three or more words split on whitespace, or a regular expression that alternates words ("killed|dead").
Words live in ``summarizer/rules/lexicon.yaml``; a regular expression in code says a text's shape (a
number, a date, a quotation mark) and takes its words from a class (``alternative(...)``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from spacy import glossary

from summarizer.errors import RuleFileError
from summarizer.rules.loader import RULES_DIR, classes_named, load, rules

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
SCOPE = [PACKAGE / "analysis", PACKAGE / "stories"]
LABELS = set(glossary.GLOSSARY)  # dependency labels, part-of-speech tags, entity types: grammar, not words
_WORD = re.compile(r"^[A-Za-z]+(?:[-'’.][A-Za-z]+)*\.?$")
_PHRASE = re.compile(r"^[A-Za-z]+(?:[-'’][A-Za-z]+)*(?: [A-Za-z]+(?:[-'’][A-Za-z]+)*)*$")
_REGEX_CALLS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
MINIMUM = 3  # words that make a list


def _modules() -> list[Path]:
    return sorted(p for folder in SCOPE for p in folder.rglob("*.py"))


def _words(strings: list[str]) -> list[str]:
    return [s for s in strings if _PHRASE.match(s) and s not in LABELS]


def _alternates_words(pattern: str) -> bool:
    """Whether a regular expression alternates words: two alternatives of letters ("kill|dead")."""
    unescaped = re.sub(r"\\.", "", pattern)
    alternatives = re.split(r"[|()]", unescaped)
    return sum(bool(re.fullmatch(r"\s*(?:\?:)?[A-Za-z]{2,}(?:[ -][A-Za-z]+)*s?\??\s*", a)) for a in alternatives) >= 2


def _word_lists(path: Path) -> list[str]:
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(_words(strings)) >= MINIMUM:
                found.append(f"{where}: a literal collection of words {_words(strings)[:4]}")
        elif isinstance(node, ast.Dict):
            strings = [
                e.value for e in (*node.keys, *node.values) if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            if len(_words(strings)) >= MINIMUM:
                found.append(f"{where}: a literal dictionary of words {_words(strings)[:4]}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            split = node.func.attr == "split" and isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)
            if split and len(str(getattr(receiver, "value", "")).split()) >= MINIMUM:
                found.append(f"{where}: a string of words split on whitespace")
            if node.func.attr in _REGEX_CALLS and isinstance(receiver, ast.Name) and receiver.id == "re":
                for argument in node.args[:1]:
                    patterns = [c.value for c in ast.walk(argument) if isinstance(c, ast.Constant)]
                    for pattern in patterns:
                        if isinstance(pattern, str) and _alternates_words(pattern):
                            found.append(f"{where}: a regular expression alternating words {pattern[:40]!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            pieces = node.value.split()
            if "\n" in node.value and len(pieces) >= MINIMUM and all(_WORD.match(p) for p in pieces):
                found.append(f"{where}: a block of words")
    return found


def test_no_word_list_in_the_finders_or_stories_code() -> None:
    problems = [problem for path in _modules() for problem in _word_lists(path)]
    assert not problems, "word lists belong in summarizer/rules/lexicon.yaml:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ('X = frozenset({"kill", "die", "dead"})', "collection"),
        ('X = {"us": "us", "usa": "us", "america": "us"}', "dictionary"),
        ('X = "attack strike raid".split()', "split"),
        ('X = re.compile(r"\\b(?:killed|dead|died)\\b")', "regular expression"),
        ('X = """\n    attack strike raid\n    ambush\n"""', "block"),
    ],
)
def test_the_check_finds_each_form_of_word_list(tmp_path: Path, source: str, kind: str) -> None:
    path = PACKAGE / "analysis" / "_probe.py"
    problems = _word_lists_of(path, "import re\n" + source)
    assert problems and kind in problems[0]


@pytest.mark.parametrize(
    "source",
    [
        'X = frozenset({"nsubj", "dobj", "pobj"})',  # grammar labels
        'X = re.compile(r"\\d{1,2}(?:[.,]\\d+)?")',  # a number's shape
        "X = re.compile(rf\"\\b{alternative('month-stem')}[a-z]*\")",  # words from a class
        'raise ValueError("no summaries to link")',  # a message is no list
    ],
)
def test_the_check_lets_grammar_shapes_and_messages_be(source: str) -> None:
    assert _word_lists_of(PACKAGE / "analysis" / "_probe.py", "import re\n" + source) == []


def _word_lists_of(path: Path, source: str) -> list[str]:
    probe = path
    probe.write_text(source, encoding="utf-8")
    try:
        return _word_lists(probe)
    finally:
        probe.unlink()


# --- rules declared and used ------------------------------------------------------------------


def _string_constants(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _code() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_rule_the_code_names_is_declared_and_every_declared_rule_is_applied() -> None:
    declared = set(rules().by_id)
    areas = {rule_id.split(".")[0] for rule_id in declared}
    constants = _string_constants(_code())
    named = {c for c in constants if c.split(".")[0] in areas and re.fullmatch(r"[a-z]+(?:\.[a-z0-9-]+)+", c)}
    assert named - declared == set(), "rule ids in code that no rule file declares"
    assert declared - named == set(), "declared rules that no code applies"


def test_every_word_class_is_used() -> None:
    found = rules()
    constants = _string_constants(_code())
    constants |= {name for r in found.by_id.values() for name in classes_named(r)}  # in the rules' patterns
    unused = sorted(c for c in found.classes if c not in constants and found.classes[c].dimension not in constants)
    assert unused == [], "word classes no code reads"
    assert sorted(t for t in found.tables if t not in constants) == []


# --- bad rule files ---------------------------------------------------------------------------


def _copy_rules(tmp_path: Path) -> Path:
    for path in RULES_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_a_bad_rule_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    path = folder / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("acts: find", "acts: finds", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if "acts: finds" in row)
    with pytest.raises(RuleFileError, match=rf"figures\.yaml, line {line}: rules\.0\.acts"):
        load(folder)


def test_a_word_in_two_classes_of_one_dimension_is_refused(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    path = folder / "lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("words: wound wounded injure", "words: kill wound wounded injure", 1), encoding="utf-8"
    )
    with pytest.raises(
        RuleFileError, match=r"lexicon\.yaml, line \d+: 'kill' is in both 'outcome-killed' and 'outcome-injured'"
    ):
        load(folder)


def test_a_placeholder_that_names_no_class_is_refused(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    path = folder / "figures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{part-after}", "{part-afterwards}"), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"figures\.yaml, line \d+: \{part-afterwards\} names no word class"):
        load(folder)


def test_a_rule_defined_twice_is_refused(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    path = folder / "figures.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: figure.find.vague-count", "id: figure.find.number", 1), encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"figures\.yaml, line \d+: rule 'figure.find.number' is defined twice"):
        load(folder)


def test_yaml_that_does_not_parse_is_named_with_its_line(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    (folder / "events.yaml").write_text("finder: events\nrules: [\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"events\.yaml, line \d+: not valid YAML"):
        load(folder)


def test_every_token_and_dependency_pattern_compiles_and_matches_its_example() -> None:
    from summarizer.analysis.nlp import parse
    from summarizer.rules.engine import pattern_matches

    doc = parse("Health officials put the death toll at 15, according to the ministry. IS attacks killed two.")
    found = {m.rule for m in pattern_matches(doc)}
    assert {"figure.outcome.toll-at", "speaker.cue.according-to", "event.role.acronym-before-event"} <= found
    assert {r for r, spec in rules().by_id.items() if spec.kind in {"token", "dependency"}} >= found


def test_a_pattern_spacy_cannot_use_is_named_with_its_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.analysis.nlp import parse
    from summarizer.rules import engine

    folder = _copy_rules(tmp_path)
    path = folder / "figures.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('REL_OP: "<"', 'REL_OP: "<<<"', 1), encoding="utf-8")
    monkeypatch.setattr(engine, "rules", lambda: load(folder))
    monkeypatch.setattr(engine, "_MATCHERS", {})
    with pytest.raises(RuleFileError, match=r"figures\.yaml: rule figure\.outcome\.\S+: spaCy cannot use its pattern"):
        engine.pattern_matches(parse("Three soldiers lost their lives."))
