"""`python -m bench [--quick] [--only SUITE]`: run the benchmarks and print their figures."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from bench import content, courses, dashboard, distribution, events

SUITES: dict[str, Callable[[bool], Awaitable[int]]] = {
    "events": events.run,
    "courses": courses.run,
    "distribution": distribution.run,
    "content": content.run,
    "dashboard": dashboard.run,
}


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
    args = parser.parse_args(argv)
    selected = list(SUITES)
    if args.only:
        selected = [name.strip() for item in args.only for name in item.split(",") if name.strip()]
        unknown = [name for name in selected if name not in SUITES]
        if unknown:
            parser.error(f"unknown suite {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    status = 0
    for name in selected:
        status |= asyncio.run(SUITES[name](args.quick))
    return status


if __name__ == "__main__":
    sys.exit(main())
