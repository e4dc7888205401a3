"""Read the rule files once, validate them, and say exactly where a bad one is wrong.

The files are YAML inside the package (``summarizer/rules/*.yaml``). Each is validated by the models
of ``model.py``; an error names the file, the line and what is wrong ("events.yaml, line 41: rules.3.acts:
Input should be 'find', 'fill', ..."), and so does a rule id given twice, a word two classes of one
dimension share, a placeholder that names no class, a pattern spaCy cannot compile (at first use).

``rules_sha256()`` is the hash of every rule file's bytes: summaries record it in their provenance, and
the finders' version in the cache key is derived from it and from the finders' code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import RuleFileError
from summarizer.fingerprint import files_sha256
from summarizer.rules.model import PLACEHOLDER, Lexicon, Rule, RuleFile, Table, WordClass

RULES_DIR = Path(__file__).parent
LEXICON_FILE = "lexicon.yaml"


def _yaml_module() -> Any:
    import yaml

    return yaml


def _read(path: Path) -> tuple[Any, Any]:
    """The file's data and its node tree (for line numbers)."""
    yaml = _yaml_module()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=loader), yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise RuleFileError(f"{path.name}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from exc


def _line_of(node: Any, location: tuple[Any, ...]) -> int:
    """The line of the node at ``location`` (a pydantic error's ``loc``), or of the nearest above it."""
    line = node.start_mark.line + 1 if node is not None else 1
    for step in location:
        children = getattr(node, "value", None)
        if isinstance(step, int) and isinstance(children, list) and step < len(children):
            node = children[step]
        elif isinstance(step, str) and isinstance(children, list):
            pairs = [pair for pair in children if isinstance(pair, tuple)]
            node = next((value for key, value in pairs if getattr(key, "value", None) == step), None)
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _validated(model: type[Any], path: Path) -> Any:
    data, tree = _read(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = tuple(first["loc"])
        where = ".".join(str(step) for step in location) or "the file"
        raise RuleFileError(
            f"{path.name}, line {_line_of(tree, location)}: {where}: {first['msg']}"
            + (f" ({len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else "")
        ) from exc


def _fail(path: Path, tree: Any, location: tuple[Any, ...], message: str) -> RuleFileError:
    return RuleFileError(f"{path.name}, line {_line_of(tree, location)}: {message}")


@dataclass(frozen=True)
class Rules:
    """Everything the rule files say, checked: the lexicon and every finder's rules by id."""

    lexicon: Lexicon
    files: dict[str, RuleFile]  # finder -> its file
    by_id: dict[str, Rule]
    finder_of: dict[str, str]  # rule id -> finder
    classes: dict[str, WordClass]
    tables: dict[str, Table]

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.by_id[rule_id]
        except KeyError:
            raise KeyError(f"no rule {rule_id!r} in {RULES_DIR}") from None


def rule_paths(directory: Path = RULES_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != LEXICON_FILE)


def load(directory: Path = RULES_DIR) -> Rules:
    """Read and check every rule file of ``directory`` (raises ``RuleFileError``)."""
    lexicon_path = directory / LEXICON_FILE
    lexicon: Lexicon = _validated(Lexicon, lexicon_path)
    _, lexicon_tree = _read(lexicon_path)
    classes: dict[str, WordClass] = {}
    owner: dict[tuple[str, str], str] = {}  # (dimension, word) -> class
    for index, word_class in enumerate(lexicon.classes):
        if word_class.id in classes:
            raise _fail(lexicon_path, lexicon_tree, ("classes", index), f"class {word_class.id!r} is defined twice")
        classes[word_class.id] = word_class
        for word in word_class.words:
            other = owner.setdefault((word_class.dimension, word), word_class.id)
            if other != word_class.id:
                raise _fail(
                    lexicon_path,
                    lexicon_tree,
                    ("classes", index, "words"),
                    f"{word!r} is in both {other!r} and {word_class.id!r}, two classes of the dimension "
                    f"{word_class.dimension!r}: a word has one class per dimension",
                )
    tables = {table.id: table for table in lexicon.tables}
    files: dict[str, RuleFile] = {}
    by_id: dict[str, Rule] = {}
    finder_of: dict[str, str] = {}
    for path in rule_paths(directory):
        rule_file: RuleFile = _validated(RuleFile, path)
        _, tree = _read(path)
        if rule_file.finder in files:
            raise _fail(path, tree, ("finder",), f"finder {rule_file.finder!r} has two rule files")
        files[rule_file.finder] = rule_file
        for index, rule in enumerate(rule_file.rules):
            if rule.id in by_id:
                raise _fail(path, tree, ("rules", index, "id"), f"rule {rule.id!r} is defined twice")
            for name in classes_named(rule):
                if name not in classes:
                    raise _fail(path, tree, ("rules", index, "pattern"), f"{{{name}}} names no word class")
            by_id[rule.id] = rule
            finder_of[rule.id] = rule_file.finder
    return Rules(lexicon, files, by_id, finder_of, classes, tables)


def classes_named(rule: Rule) -> list[str]:
    """The word classes a rule's pattern names: "{class}" in a text pattern, ``_.classes`` in a token one."""
    if isinstance(rule.pattern, str):
        return PLACEHOLDER.findall(rule.pattern)
    named: list[str] = []
    for spec in rule.pattern or []:
        attributes = spec.get("RIGHT_ATTRS", spec)
        classes = attributes.get("_", {}).get("classes", {}) if isinstance(attributes, dict) else {}
        for predicate in classes.values() if isinstance(classes, dict) else []:
            named.extend(predicate if isinstance(predicate, list) else [predicate])
    return named


@cache
def rules() -> Rules:
    """The package's rules, read once per process."""
    return load()


@cache
def rules_sha256(directory: Path = RULES_DIR) -> str:
    """sha256 over every rule file's name and bytes, in name order (recorded in a summary's provenance)."""
    return files_sha256(directory.glob("*.yaml"), root=directory)


def alternation(word_class: WordClass) -> str:
    """The class as one regular-expression group: its forms, then its words and phrases escaped, in the
    order the file gives them (an alternation tries them in that order: write "no fewer than" before
    "fewer than" where it matters)."""
    return "(?:" + "|".join([*word_class.forms, *(re.escape(word) for word in word_class.words)]) + ")"
