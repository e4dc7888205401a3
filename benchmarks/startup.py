"""Start-up time: the installed ``summarizer`` console script printing ``--help``, and bare imports.

Each figure is the wall time of a fresh process (what a user waits for), run several times; the
median and the fastest run are printed. The target for ``summarizer --help`` is under 0.3 s.

    python benchmarks/startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_S = 0.3


def console_script() -> str:
    """The ``summarizer`` entry point installed next to this interpreter (else the one on PATH)."""
    beside = Path(sys.executable).with_name("summarizer")
    found = str(beside) if beside.exists() else shutil.which("summarizer")
    if found is None:
        raise SystemExit("the summarizer console script is not installed (make install-dev)")
    return found


def wall_times(command: list[str], runs: int) -> list[float]:
    env = {**os.environ, "COLUMNS": "100"}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11, help="processes per figure (default 11)")
    args = parser.parse_args()
    script = console_script()
    cases = {
        "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
        "summarizer --help": [script, "--help"],
        "summarizer batch --help": [script, "batch", "--help"],
        "import summarizer.counts": [sys.executable, "-c", "import summarizer.counts"],
        "import summarizer": [sys.executable, "-c", "import summarizer"],
        "from summarizer import Summarizer": [sys.executable, "-c", "from summarizer import Summarizer"],
    }
    print(f"start-up wall time, {args.runs} fresh processes each ({script})")
    print(f"{'command':<40}{'median s':>10}{'min s':>10}")
    medians = {}
    for name, command in cases.items():
        wall_times(command, 1)  # warm the file cache and the bytecode
        times = wall_times(command, args.runs)
        medians[name] = statistics.median(times)
        print(f"{name:<40}{medians[name]:>10.3f}{min(times):>10.3f}")
    help_s = medians["summarizer --help"]
    verdict = "meets" if help_s < TARGET_S else "MISSES"
    print(f"summarizer --help median {help_s:.3f} s: {verdict} the {TARGET_S} s target")


if __name__ == "__main__":
    main()
