#!/usr/bin/env python3
"""Build the kairos-fresh-2 evaluation set (WikiEvents format) from the marked-up sources in src/, with
the first set's builder (``../kairos-fresh/build.py``, which documents the source format and the checks).

usage (from anywhere):
  python3 eval/kairos-fresh-2/build.py            # write articles/, split.jsonl, coref.jsonlines
  python3 eval/kairos-fresh-2/build.py --stats    # also print per-document counts
  python3 eval/kairos-fresh-2/build.py --show DOC # print a document's sentences, mentions and events
"""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    builder = runpy.run_path(str(HERE.parent / "kairos-fresh" / "build.py"))
    sys.exit(builder["main"](["--set", str(HERE), *sys.argv[1:]]))
