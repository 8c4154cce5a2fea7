"""`make bench`: every benchmark, a table of ratios against the baselines, and JSON.

Each benchmark compares the bot with a baseline measured in the same run (python-telegram-bot
doing the same Bot API calls and one committed write, bench/equal.py; a raw sqlite3 query; a
bare sending loop; a bare Application), so the numbers travel between machines as ratios.
Rows marked "-" are references without a target. Nothing here is a test: a missed target is
printed, not failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import analysis, broadcast, impact, pipeline, signup, startup
from bench.common import Row

RESULTS = Path("bench/results.json")


def _suites() -> dict[str, Callable[[], list[Row]]]:
    return {
        "pipeline": lambda: asyncio.run(pipeline.run()),
        "signup": lambda: asyncio.run(signup.run()),
        "analysis": lambda: asyncio.run(analysis.run()),
        "broadcast": lambda: asyncio.run(broadcast.run()),
        "impact": lambda: asyncio.run(impact.run()),
        "startup": startup.run,
    }


def table(rows: list[Row]) -> str:
    lines = [
        f"{'benchmark':<62} {'bot':>10} {'baseline':>10} {'unit':<10} {'ratio':>6} "
        f"{'target':>7}  met",
        "-" * 112,
    ]
    for r in rows:
        lines.append(
            f"{r.name:<62} {r.value:>10.2f} {r.baseline:>10.2f} {r.unit:<10} {r.ratio:>6.2f} "
            f"{r.target:>7}  {'-' if r.met is None else 'yes' if r.met else 'NO'}"
        )
        if r.note:
            lines.append(f"    {r.note}")
    return "\n".join(lines)


def main() -> int:
    suites = _suites()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", choices=[*suites, []], help="run only these")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    args = parser.parse_args()
    rows: list[Row] = []
    started = time.perf_counter()
    for name, suite in suites.items():
        if args.only and name not in args.only:
            continue
        print(f"running {name}…", file=sys.stderr, flush=True)
        rows.extend(suite())
    print(table(rows))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "seconds": round(time.perf_counter() - started, 1),
        "results": [r.as_dict() for r in rows],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{report['seconds']} s; written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
