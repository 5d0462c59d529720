"""`python -m bench [--quick] [--only SUITE]`: run the benchmarks and print their figures."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bench import loop

SUITES = ("events", "courses", "distribution", "content", "dashboard")
"""Each is the module `bench.<name>` with `async def run(quick) -> int`, imported only when it
runs (so that `PYTHONPATH=<an older src> python -m bench --only events` needs nothing else)."""


def suite(name: str) -> Callable[[bool], Coroutine[Any, Any, int]]:
    run: Callable[[bool], Coroutine[Any, Any, int]] = importlib.import_module(f"bench.{name}").run
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="a short run (< 60 s) with fewer events and samples"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="SUITE",
        help=f"run only these suites (repeatable or comma-separated): {', '.join(SUITES)}",
    )
    parser.add_argument(
        "--loop",
        choices=loop.CHOICES,
        default=loop.choice(),
        help="the event loop of the benchmark and the processes it starts (BRAIN_EVENT_LOOP)",
    )
    args = parser.parse_args(argv)
    os.environ["BRAIN_EVENT_LOOP"] = args.loop  # publisher and server processes inherit it
    selected = list(SUITES)
    if args.only:
        selected = [name.strip() for item in args.only for name in item.split(",") if name.strip()]
        unknown = [name for name in selected if name not in SUITES]
        if unknown:
            parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    status = 0
    for name in selected:
        status |= loop.run(suite(name)(args.quick))
    return status


if __name__ == "__main__":
    sys.exit(main())
