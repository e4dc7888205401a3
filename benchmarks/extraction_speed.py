"""Time per article on the embedded model, by stage, for one or more prompt versions in the same run.

For each prompt version and each article (by default the eight articles that have gold fact lists),
it summarizes with the cache off and prints the wall time, the model calls and their tokens, and the
time by stage: normalize, analysis (spaCy parse and candidate finders; candidates strategy only),
model calls, and the rest (grounding and assembly). The model is loaded once before the first
article and its load time is not counted. Then the median per version and the ratio of medians.
Run it alone: generation speed on 2 cores halves when anything else runs.

    python benchmarks/extraction_speed.py                      # v3 against v5 on the eight gold articles
    python benchmarks/extraction_speed.py --versions v5 --articles ../shared/corpus/news/*.txt
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@dataclass
class Stages:
    normalize_s: float = 0.0
    analysis_s: float = 0.0
    model_s: float = 0.0
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    per_call: list[float] = field(default_factory=list)

    def reset(self) -> None:
        self.__dict__.update(Stages().__dict__)


def gold_articles() -> list[Path]:
    found = []
    for gold in sorted((SHARED / "eval" / "gold").glob("*.json")):
        name = json.loads(gold.read_text())["article"]
        for folder in ("seeds", "news"):
            path = SHARED / "corpus" / folder / name
            if path.is_file():
                found.append(path)
    return found


def timed(function: Callable[..., Any], add: Callable[[float, Any], None]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = function(*args, **kwargs)
        add(time.perf_counter() - started, result)
        return result

    return wrapper


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", nargs="+", default=["v3", "v5"], help="prompt versions, in the order to run")
    parser.add_argument("--articles", nargs="+", type=Path, help="article files (default: the eight gold articles)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import summarizer.pipeline as pipeline_module
    import summarizer.strategies.candidates as candidates_module
    from summarizer import Settings, Summarizer, SummarizerError

    articles = args.articles or gold_articles()
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(backend="embedded", cache_enabled=False, data_dir=Path(scratch))
        models_dir = Settings().data_dir / "models"  # reuse the joined model file, if any
        if models_dir.is_dir():
            settings = settings.model_copy(update={"models_dir": models_dir})
        summarizer = Summarizer(settings)
        started = time.perf_counter()
        summarizer.llm.warm_up()
        print(f"model loaded in {time.perf_counter() - started:.1f} s (not counted)", flush=True)
        stages = Stages()

        def on_call(seconds: float, result: Any) -> None:
            stages.model_s += seconds
            stages.calls += 1
            stages.per_call.append(seconds)
            stages.prompt_tokens += result.usage.prompt_tokens
            stages.completion_tokens += result.usage.completion_tokens

        def on_normalize(seconds: float, _: Any) -> None:
            stages.normalize_s += seconds

        def on_analysis(seconds: float, _: Any) -> None:
            stages.analysis_s += seconds

        summarizer.llm.call = timed(summarizer.llm.call, on_call)  # type: ignore[method-assign]
        pipeline_module.normalize = timed(pipeline_module.normalize, on_normalize)  # type: ignore[assignment]
        candidates_module.find_candidates = timed(candidates_module.find_candidates, on_analysis)  # type: ignore[assignment]
        for version in args.versions:
            rows = results.setdefault(version, [])
            print(
                f"\n{version}  {'article':36} {'total s':>8} {'calls':>5} {'prompt':>7} {'gen':>5} "
                f"{'norm ms':>8} {'analysis ms':>11} {'model s':>8} {'rest ms':>8}",
                flush=True,
            )
            for path in articles:
                stages.reset()
                text = path.read_text(encoding="utf-8")
                started = time.perf_counter()
                error = None
                try:
                    summarizer.summarize(text, prompt_version=version)
                except SummarizerError as exc:  # one failed article is a figure too; the run goes on
                    error = f"{type(exc).__name__}: {exc}"
                total = time.perf_counter() - started
                rest = total - stages.normalize_s - stages.analysis_s - stages.model_s
                row = {
                    "article": path.name,
                    "total_s": round(total, 2),
                    "calls": stages.calls,
                    "prompt_tokens": stages.prompt_tokens,
                    "completion_tokens": stages.completion_tokens,
                    "normalize_ms": round(stages.normalize_s * 1000, 1),
                    "analysis_ms": round(stages.analysis_s * 1000, 1),
                    "model_s": round(stages.model_s, 2),
                    "rest_ms": round(rest * 1000, 1),
                    "first_call_s": round(stages.per_call[0], 2) if stages.per_call else None,
                    "error": error,
                }
                rows.append(row)
                print(
                    f"{version}  {path.name[:36]:36} {total:8.1f} {stages.calls:5} {stages.prompt_tokens:7} "
                    f"{stages.completion_tokens:5} {row['normalize_ms']:8} {row['analysis_ms']:11} "
                    f"{stages.model_s:8.1f} {row['rest_ms']:8}",
                    flush=True,
                )
    print()
    medians = {v: statistics.median(r["total_s"] for r in rows) for v, rows in results.items()}
    for version, rows in results.items():
        print(
            f"{version}: median {medians[version]:.1f} s per article, range {min(r['total_s'] for r in rows):.1f}"
            f"-{max(r['total_s'] for r in rows):.1f} s, median generated tokens "
            f"{statistics.median(r['completion_tokens'] for r in rows):.0f}, median model calls "
            f"{statistics.median(r['calls'] for r in rows):.0f}"
        )
    if len(medians) >= 2:
        first, *others = list(medians)
        for other in others:
            print(f"median {first} / median {other}: {medians[first] / medians[other]:.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "medians_s": medians}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
