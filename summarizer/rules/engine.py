"""The rule engine: applies rules, records which fired, and can switch any of them off.

It knows no word. A finder asks ``rule("event.role.verb-subject", holds)`` at each step where a rule
decides something: the answer is whether the rule applies (its condition ``holds`` and it is not
switched off), and a rule that applies is written into the current ``Trace``. A finder opens a trace
for each candidate it builds (``collect()``), so every candidate knows the rules that found and shaped
it, and a candidate rejected by a rule (``drop(...)``) knows which one. ``disabled(...)`` switches rules
off for a block of code: the mutation test turns each rule off in turn and expects a case to notice.

Patterns that are data (``kind: text``, ``token``, ``dependency``) are compiled here: a text pattern's
``{class}`` placeholders become the class's words; a token or dependency pattern names word classes as
``_: {classes: {INTERSECTS: [class, ...]}}`` (a pattern asks for a class, never for a word), which
becomes spaCy's ``LEMMA: {IN: [its words]}``. Traces and switches are per thread and per task
(``contextvars``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from summarizer.errors import RuleFileError
from summarizer.rules.loader import alternation, rules
from summarizer.rules.model import PLACEHOLDER

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass
class Trace:
    """The rules that applied while one candidate was built, in order; and the rule that dropped it."""

    fired: list[str] = field(default_factory=list)
    dropped_by: str | None = None

    def ids(self) -> tuple[str, ...]:
        """The rules that applied, each once, in the order they first applied."""
        return tuple(dict.fromkeys(self.fired))


_TRACE: ContextVar[Trace | None] = ContextVar("summarizer_rule_trace", default=None)
_DISABLED: ContextVar[frozenset[str]] = ContextVar("summarizer_disabled_rules", default=frozenset())


def rule(rule_id: str, holds: bool = True) -> bool:
    """Whether ``rule_id`` applies here: its condition ``holds`` and it is not switched off. Recorded
    in the current trace when it applies."""
    if not holds or rule_id in _DISABLED.get():
        return False
    trace = _TRACE.get()
    if trace is not None:
        trace.fired.append(rule_id)
    return True


def drop(rule_id: str, holds: bool = True) -> bool:
    """Like ``rule``, for a rule that rejects the candidate being built: the trace keeps which one did."""
    if not rule(rule_id, holds):
        return False
    trace = _TRACE.get()
    if trace is not None and trace.dropped_by is None:
        trace.dropped_by = rule_id
    return True


def note(rule_ids: tuple[str, ...] | list[str]) -> None:
    """Add rules that applied elsewhere (a mention resolved earlier, a cached reading) to the current trace."""
    trace = _TRACE.get()
    if trace is not None:
        trace.fired.extend(rule_ids)


@contextmanager
def collect() -> Iterator[Trace]:
    """A trace for one candidate; what it records is also recorded in the enclosing trace, if any."""
    parent = _TRACE.get()
    trace = Trace()
    token = _TRACE.set(trace)
    try:
        yield trace
    finally:
        _TRACE.reset(token)
        if parent is not None:
            parent.fired.extend(trace.fired)


@contextmanager
def disabled(*rule_ids: str) -> Iterator[None]:
    """Switch rules off inside the block (for the mutation test and ``summarizer rules``)."""
    known = rules().by_id
    unknown = sorted(set(rule_ids) - set(known))
    if unknown:
        raise KeyError(f"no such rule: {', '.join(unknown)}")
    fixed = sorted(r for r in rule_ids if not known[r].switchable)
    if fixed:
        raise ValueError(f"these rules say what a candidate is and cannot be switched off: {', '.join(fixed)}")
    token = _DISABLED.set(_DISABLED.get() | frozenset(rule_ids))
    try:
        yield
    finally:
        _DISABLED.reset(token)


def enabled(rule_id: str) -> bool:
    """Whether the rule is switched on (without recording anything)."""
    return rule_id not in _DISABLED.get()


# --- patterns that are data ---------------------------------------------------------------------


_FLAGS = {"ignorecase": re.IGNORECASE, "multiline": re.MULTILINE}


@cache
def text_pattern(rule_id: str) -> re.Pattern[str]:
    """A ``kind: text`` rule's regular expression, its ``{class}`` placeholders replaced by the classes."""
    found = rules()
    spec = found.rule(rule_id)
    if spec.kind != "text" or not isinstance(spec.pattern, str):
        raise ValueError(f"rule {rule_id} is not a text rule")
    source = PLACEHOLDER.sub(lambda m: alternation(found.classes[m.group(1)]), spec.pattern)
    flags = 0
    for flag in spec.flags:
        flags |= _FLAGS[flag]
    return re.compile(source, flags)


def _recorded(rule_id: str, found: re.Match[str] | None) -> re.Match[str] | None:
    if found is not None:
        rule(rule_id)
    return found


def search(rule_id: str, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """The first match of a text rule in ``text`` (recorded when found and the rule is on)."""
    if not enabled(rule_id):
        return None
    return _recorded(rule_id, text_pattern(rule_id).search(text, pos, len(text) if endpos is None else endpos))


def match(rule_id: str, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """A match of a text rule at ``pos`` (recorded when found and the rule is on)."""
    if not enabled(rule_id):
        return None
    return _recorded(rule_id, text_pattern(rule_id).match(text, pos, len(text) if endpos is None else endpos))


def fullmatch(rule_id: str, text: str) -> re.Match[str] | None:
    """A match of a text rule over the whole of ``text`` (recorded when found and the rule is on)."""
    if not enabled(rule_id):
        return None
    return _recorded(rule_id, text_pattern(rule_id).fullmatch(text))


def _native(spec: dict[str, Any]) -> dict[str, Any]:
    """A token specification with its word classes (``_: {classes: {INTERSECTS: [...]}}``) made spaCy's own
    ``LEMMA: {IN: [...]}``: a class matches a token whose lemma is one of its words (an extension attribute
    would cost a Python call per token and pattern)."""
    extension = spec.get("_", {})
    named = extension.get("classes", {}).get("INTERSECTS") if isinstance(extension, dict) else None
    if named is None:
        return spec
    found = rules()
    native = {key: value for key, value in spec.items() if key != "_"}
    native["LEMMA"] = {"IN": sorted({word for name in named for word in found.classes[name].words})}
    return native


def compiled(pattern: list[dict[str, Any]], *, dependency: bool) -> list[dict[str, Any]]:
    """A rule's token or dependency pattern as spaCy's matchers take it."""
    if not dependency:
        return [_native(spec) for spec in pattern]
    return [dict(node, RIGHT_ATTRS=_native(node.get("RIGHT_ATTRS", {}))) for node in pattern]


@dataclass(frozen=True)
class PatternMatch:
    """One match of a token or dependency rule: the tokens its pattern names (by ``RIGHT_ID``, or by the
    rule's ``nodes`` for a token pattern)."""

    rule: str
    tokens: dict[str, int]


def _matchers(doc: Doc) -> tuple[Any, Any]:
    """spaCy's Matcher and DependencyMatcher holding every token and dependency rule."""
    from spacy.matcher import DependencyMatcher, Matcher

    token_matcher = Matcher(doc.vocab, validate=True)
    dependency_matcher = DependencyMatcher(doc.vocab, validate=True)
    found = rules()
    for rule_id, spec in found.by_id.items():
        try:
            if spec.kind == "token" and isinstance(spec.pattern, list):
                token_matcher.add(rule_id, [compiled(spec.pattern, dependency=False)])
            elif spec.kind == "dependency" and isinstance(spec.pattern, list):
                dependency_matcher.add(rule_id, [compiled(spec.pattern, dependency=True)])
        except ValueError as exc:  # spaCy's validation: the pattern's first problem
            reason = (str(exc).strip().splitlines() or [""])[-1]
            where = f"{found.finder_of[rule_id]}.yaml: rule {rule_id}"
            raise RuleFileError(f"{where}: spaCy cannot use its pattern: {reason}") from exc
    return token_matcher, dependency_matcher


_MATCHERS: dict[int, tuple[Any, Any]] = {}  # by vocabulary: one pair per loaded pipeline


_INDEX_KEY = "summarizer.rule_matches"


def matched(rule_id: str, node: str, token: Token) -> dict[str, Token] | None:
    """The tokens of the first match of a token or dependency rule whose node ``node`` is ``token``
    (recorded when there is one and the rule is on), else None. Matches are found once per parse."""
    if not enabled(rule_id):
        return None
    doc = token.doc
    index: dict[tuple[str, str, int], PatternMatch] | None = doc.user_data.get(_INDEX_KEY)
    if index is None:
        index = {}
        for found in sorted(pattern_matches(doc), key=lambda m: tuple(m.tokens.values())):
            for name, position in found.tokens.items():
                index.setdefault((found.rule, name, position), found)
        doc.user_data[_INDEX_KEY] = index
    hit = index.get((rule_id, node, token.i))
    if hit is None:
        return None
    rule(rule_id)
    return {name: doc[position] for name, position in hit.tokens.items()}


def pattern_matches(doc: Doc) -> list[PatternMatch]:
    """Every match of every token and dependency rule in ``doc`` (whether switched on or not: a finder
    asks ``rule()`` before it uses one)."""
    key = id(doc.vocab)
    if key not in _MATCHERS:
        _MATCHERS[key] = _matchers(doc)
    token_matcher, dependency_matcher = _MATCHERS[key]
    strings = doc.vocab.strings
    found: list[PatternMatch] = []
    for match_id, start, end in token_matcher(doc):
        rule_id = strings[match_id]
        nodes = rules().rule(rule_id).nodes
        found.append(PatternMatch(rule_id, {nodes[i]: start + i for i in range(end - start)}))
    for match_id, token_ids in dependency_matcher(doc):
        rule_id = strings[match_id]
        pattern = rules().rule(rule_id).pattern
        right_ids = [str(spec["RIGHT_ID"]) for spec in pattern] if isinstance(pattern, list) else []
        found.append(PatternMatch(rule_id, dict(zip(right_ids, token_ids, strict=True))))
    return found


@cache
def _union(rule_ids: tuple[str, ...]) -> re.Pattern[str]:
    """Text rules tried together: one alternation of named groups, one per rule (``_0``, ``_1``, ...)."""
    flags = 0
    parts = []
    for index, rule_id in enumerate(rule_ids):
        alone = text_pattern(rule_id)  # each must be a text rule, and compile alone
        flags |= alone.flags & (re.IGNORECASE | re.MULTILINE)
        parts.append(f"(?P<_{index}>{alone.pattern})")
    return re.compile("|".join(parts), flags)


def first_of(rule_ids: tuple[str, ...], text: str, pos: int = 0, endpos: int | None = None) -> str | None:
    """The first of ``rule_ids`` (text rules, tried together) that matches in ``text``, recorded; the rules
    switched off are left out. Their flags must agree (the union takes them all)."""
    switched_on = tuple(r for r in rule_ids if enabled(r))
    if not switched_on:
        return None
    found = _union(switched_on).search(text, pos, len(text) if endpos is None else endpos)
    if found is None:
        return None
    index = next(int(name[1:]) for name, value in found.groupdict().items() if value is not None)
    rule(switched_on[index])
    return switched_on[index]
