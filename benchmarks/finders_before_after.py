"""The finders' time and the time per article, this tree against an earlier commit, in the same run.

A rule change (or the move of the rules into data files) must not slow the finders down. This runs the
earlier commit (a temporary git worktree) and this tree in turn, alternating, so that both see the same
machine:

- finders only (no model): ``find_candidates`` on every corpus article (seeds, news, eval/dev, dev2,
  heldout), each article's fastest of ``--repeat`` runs after one warm-up; the median per article;
- the whole pipeline on the embedded model (``--with-model``): each tree's own
  ``benchmarks/extraction_speed.py --versions v5`` on the eight gold articles, ``--rounds`` times; the
  median per article of the analysis stage (parse and finders) and of the wall time.

Then each figure's ratio, this tree over the earlier one. Run it alone: 2 cores are easily disturbed.

    python benchmarks/finders_before_after.py 84ac6c3                 # finders only, a minute
    python benchmarks/finders_before_after.py 84ac6c3 --with-model    # and the pipeline, ~10 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = [
    SHARED / "corpus" / "seeds",
    SHARED / "corpus" / "news",
    ROOT / "eval" / "dev" / "articles",
    ROOT / "eval" / "dev2" / "articles",
    ROOT / "eval" / "heldout" / "articles",
]

_WORKER = """
import json, sys, time
from pathlib import Path
from summarizer.analysis.finders import find_candidates
from summarizer.analysis.nlp import load_pipeline
from summarizer.normalize import normalize
load_pipeline()
texts = [normalize(Path(p).read_text(encoding="utf-8")).text for p in json.loads(sys.argv[1])]
repeat = int(sys.argv[2])
find_candidates(texts[0])  # warm-up: lexicon, rules, matchers
times = []
for text in texts:
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        find_candidates(text)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    times.append(best)
print(json.dumps(times))
"""


def _run(tree: Path, args: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def finders_times(tree: Path, articles: list[Path], repeat: int) -> list[float]:
    return list(json.loads(_run(tree, ["-c", _WORKER, json.dumps([str(a) for a in articles]), str(repeat)])))


def gold_articles() -> list[Path]:
    """The eight articles with gold fact lists (given by path: an earlier tree in a worktree has no ../shared)."""
    found = []
    for gold in sorted((SHARED / "eval" / "gold").glob("*.json")):
        name = json.loads(gold.read_text())["article"]
        found += [
            SHARED / "corpus" / folder / name
            for folder in ("seeds", "news")
            if (SHARED / "corpus" / folder / name).is_file()
        ]
    return found


def pipeline_rows(tree: Path, scratch: Path, name: str) -> list[dict[str, Any]]:
    out = scratch / f"{name}.json"
    articles = [str(path) for path in gold_articles()]
    script = str(tree / "benchmarks" / "extraction_speed.py")
    _run(tree, [script, "--versions", "v5", "--json", str(out), "--articles", *articles])
    rows: list[dict[str, Any]] = json.loads(out.read_text())["results"]["v5"]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", help="the earlier commit (any git ref)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the finders per article (the fastest counts)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations of the two trees")
    parser.add_argument("--with-model", action="store_true", help="also time the whole pipeline on the embedded model")
    args = parser.parse_args()
    articles = [p for folder in CORPUS for p in sorted(folder.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        baseline = scratch / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline), args.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            trees = {"before": baseline, "now": ROOT}
            finders: dict[str, list[list[float]]] = {name: [] for name in trees}
            pipeline: dict[str, list[list[dict[str, Any]]]] = {name: [] for name in trees}
            for round_number in range(args.rounds):
                for name, tree in trees.items():
                    started = time.perf_counter()
                    finders[name].append(finders_times(tree, articles, args.repeat))
                    print(
                        f"round {round_number + 1}, {name}: finders on {len(articles)} articles "
                        f"({time.perf_counter() - started:.0f} s)",
                        flush=True,
                    )
                    if args.with_model:
                        pipeline[name].append(pipeline_rows(tree, scratch, f"{name}-{round_number}"))
                        print(f"round {round_number + 1}, {name}: pipeline on the gold articles", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline)], cwd=ROOT, check=False)
    report(finders, pipeline, len(articles))
    return 0


def _per_article_median(runs: list[list[float]]) -> float:
    """The median over articles of each article's median over the rounds."""
    return statistics.median(statistics.median(values) for values in zip(*runs, strict=True))


def report(finders: dict[str, list[list[float]]], pipeline: dict[str, list[list[dict[str, Any]]]], count: int) -> None:
    print()
    medians = {name: _per_article_median(runs) * 1000 for name, runs in finders.items()}
    for name, value in medians.items():
        print(f"finders, {name}: median {value:.1f} ms per article ({count} articles)")
    print(f"finders, now / before: {medians['now'] / medians['before']:.3f}")
    if not pipeline["now"]:
        return
    for figure, key in (("analysis stage", "analysis_ms"), ("time per article", "total_s")):
        values = {
            name: _per_article_median([[row[key] for row in rows] for rows in runs]) for name, runs in pipeline.items()
        }
        unit = "ms" if key == "analysis_ms" else "s"
        for name, value in values.items():
            print(f"{figure}, {name}: median {value:.1f} {unit} per article (8 gold articles)")
        print(f"{figure}, now / before: {values['now'] / values['before']:.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
