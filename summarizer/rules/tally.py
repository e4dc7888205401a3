"""How the rules did over a set of articles: the table ``summarizer rules stats`` prints.

As Snorkel reports its labeling functions: per rule, on how many facts it applied (coverage), how often a
candidate it found or shaped was then dropped by another rule (overruled), how many candidates it dropped
itself, and which rules overrule it (conflicts). Read from the finders' run on articles (candidates, the
code-only extraction, and every candidate dropped with the rule that dropped it), or from the ``rules`` of
stored summaries' facts (which keep no dropped candidates: coverage only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summarizer.analysis.traces import Dropped
from summarizer.rules.loader import rules

FACT_KINDS = ("actors", "actions", "casualties", "statements")


@dataclass
class RuleTally:
    facts: int = 0  # facts of the output it applied to
    articles: set[str] = field(default_factory=set)  # articles where it applied to a fact
    overruled: int = 0  # candidates it found or shaped that another rule dropped
    drops: int = 0  # candidates it dropped
    overruled_by: Counter[str] = field(default_factory=Counter)


@dataclass
class Tally:
    """Every rule's figures over the articles read so far."""

    rules: dict[str, RuleTally] = field(default_factory=dict)
    articles: int = 0
    facts: int = 0
    dropped: int = 0

    def _rule(self, rule_id: str) -> RuleTally:
        return self.rules.setdefault(rule_id, RuleTally())

    def add_facts(self, article: str, fact_rules: Iterable[Sequence[str]]) -> None:
        """The rules of each fact of one article's output."""
        self.articles += 1
        for applied in fact_rules:
            self.facts += 1
            for rule_id in dict.fromkeys(applied):
                tally = self._rule(rule_id)
                tally.facts += 1
                tally.articles.add(article)

    def add_dropped(self, dropped: Iterable[Dropped]) -> None:
        """Candidates found and then dropped: who found them is overruled by who dropped them."""
        for candidate in dropped:
            self.dropped += 1
            self._rule(candidate.dropped_by).drops += 1
            for rule_id in dict.fromkeys(candidate.rules):
                if rule_id != candidate.dropped_by:
                    tally = self._rule(rule_id)
                    tally.overruled += 1
                    tally.overruled_by[candidate.dropped_by] += 1

    def conflicts(self, limit: int = 15) -> list[tuple[str, str, int]]:
        """The most frequent (rule, rule that overruled it, times), most first."""
        pairs = [(rule_id, by, n) for rule_id, t in self.rules.items() for by, n in t.overruled_by.items()]
        return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:limit]

    def silent(self) -> list[str]:
        """Declared rules (other than the model's) that applied nowhere in these articles."""
        declared = rules().by_id
        return [r for r, spec in declared.items() if spec.acts != "model" and r not in self.rules]


def render(tally: Tally, *, source: str, with_drops: bool) -> list[str]:
    """The table as text lines, rules in file order (a finder's rules together)."""
    found = rules()
    lines = [
        f"{source}: {tally.articles} articles, {tally.facts} facts"
        + (
            f", {tally.dropped} candidates dropped by a rule"
            if with_drops
            else " (stored summaries: no dropped candidates)"
        ),
        "",
        f"{'rule':48} {'facts':>6} {'articles':>8} {'overruled':>9} {'drops':>6}  overruled most by",
    ]
    for rule_id in [r for r in found.by_id if r in tally.rules] + sorted(set(tally.rules) - set(found.by_id)):
        t = tally.rules[rule_id]
        top = ", ".join(f"{by} ({n})" for by, n in t.overruled_by.most_common(2))
        lines.append(f"{rule_id:48} {t.facts:>6} {len(t.articles):>8} {t.overruled:>9} {t.drops:>6}  {top}")
    if with_drops and tally.conflicts():
        lines += ["", "conflicts (a rule's candidate dropped by another rule):"]
        lines += [f"  {by} overruled {rule_id} {n} times" for rule_id, by, n in tally.conflicts()]
    silent = tally.silent() if with_drops else []
    if silent:
        lines += ["", f"applied nowhere ({len(silent)}): " + ", ".join(silent)]
    return lines
