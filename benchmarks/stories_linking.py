"""Linking time for a large story set: generated summaries, timed end to end.

Summaries are generated from the replay recordings of the five seeds (no model): each copy gets
its own article id, a publication day spread over two years, and its actors, targets, places and
figures drawn from pools, so some copies tell the same event and most do not. Printed: summaries,
incidents, candidate pairs, stories, and the median of several runs of ``link_stories``.

    python benchmarks/stories_linking.py [--summaries 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
GROUPS = ["Kata'ib Hezbollah", "Islamic State", "Taliban", "Hamas", "Houthis", "al-Shabaab", "Wagner Group"]
STATES = ["United States", "Russia", "Iran", "Israel", "Turkey", "Iraq", "Syria"]
PLACES = ["Kirkuk", "Mosul", "Aleppo", "Gaza", "Kandahar", "Sanaa", "Mogadishu", "Idlib", "Basra", "Deir ez-Zor"]


def seed_summaries() -> list:  # type: ignore[type-arg]
    os.environ.setdefault("SUMMARIZER_BACKEND", "replay")
    os.environ.setdefault("SUMMARIZER_REPLAY_DIR", str(ROOT / "tests" / "recordings"))
    os.environ.setdefault("SUMMARIZER_DATA_DIR", tempfile.mkdtemp(prefix="stories-bench-"))
    from summarizer import Summarizer

    summarizer = Summarizer()
    return [summarizer.summarize(seed.read_text(encoding="utf-8")) for seed in SEEDS]


def generate(count: int, rng: random.Random) -> list:  # type: ignore[type-arg]
    base = seed_summaries()
    start = date(2023, 1, 1)
    out = []
    for n in range(count):
        summary = base[n % len(base)]
        place, group, state = rng.choice(PLACES), rng.choice(GROUPS), rng.choice(STATES)
        actions = [
            a.model_copy(
                update={
                    "actors": [rng.choice([group, state])],
                    "targets": [rng.choice([group, state])],
                    "location": place,
                }
            )
            for a in summary.actions
        ]
        casualties = [
            c.model_copy(update={"count": c.count.model_copy(update={"low": (low := rng.randint(1, 60)), "high": low})})
            for c in summary.casualties
        ]
        published = start + timedelta(days=rng.randint(0, 730))
        article = summary.article.model_copy(update={"id": f"gen-{n:05d}", "published_at": published.isoformat()})
        out.append(
            summary.model_copy(
                update={"id": f"sum_gen_{n:05d}", "article": article, "actions": actions, "casualties": casualties}
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summaries", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from summarizer.stories import link_stories
    from summarizer.stories.build import _candidate_pairs
    from summarizer.stories.incidents import incidents_of, source_of

    summaries = generate(args.summaries, random.Random(7))
    incidents = [i for s in summaries for i in incidents_of(source_of(s))]
    pairs = _candidate_pairs(incidents)
    times, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        story_set = link_stories(summaries)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    several = sum(1 for s in story_set.stories if len(s.reports) > 1)
    print(f"summaries           {len(summaries)}")
    print(f"incidents           {len(incidents)}")
    print(f"candidate pairs     {len(pairs)}")
    print(f"stories             {len(story_set.stories)} ({several} with more than one report)")
    print(
        f"link_stories        median {statistics.median(times):.2f} s over {args.runs} runs "
        f"(min {min(times):.2f}, max {max(times):.2f}); target < 5 s"
    )
    print(f"  CPU time          median {statistics.median(cpu):.2f} s (what it takes on an otherwise idle core)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
