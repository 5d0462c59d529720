"""The public distribution endpoints' benchmark: requests/s and latency of
`GET /api/distributions/catalog` and `GET /courses/{slug}` with 100 public distributions, against
a bare FastAPI route returning a constant JSON, served the same way in the same run.

The platform is the embedded default: SQLite under a temporary directory, the SQL event log. A
tenant and 100 distributions (varied titles, languages, audiences, SEO, CTA and prices) are made
through `DistributionService` in units of work, and all 100 are published PUBLIC. Events stay in
the outbox: no worker runs, neither here nor in the server (`embedded_worker=False`).

Two servers run during the whole benchmark, each a separate process started the same way:
`python -m uvicorn --factory … --host 127.0.0.1 --workers 1 --no-access-log --log-level warning`
(uvicorn's defaults otherwise: uvloop and httptools when installed, as `brain serve`), one with
the real app (`create_app(build_platform(settings))`), one with a minimal FastAPI app whose only
route returns a constant dict. Two more targets explain the figures: the real app's `GET /health`
(its middleware stack around a constant answer) and the catalog with `page_size=100` (every
distribution on one page; the default page has 20).

This process is the load generator: one `httpx.AsyncClient` with keep-alive, a fixed number of
concurrent requests (each task sends its next request as soon as its previous answer is read:
closed loop), for a fixed time per round. Every round measures every target once, in an order
rotated from round to round; ratios are taken round by round against the bare route of the same
round, then the median. `/courses/{slug}` rotates over the 100 slugs. Every response must be a
200 (the run fails otherwise).

Per round it also records how busy the server process and this process (the load generator)
were, in share of one core: on a 2-core machine the client and the server compete for the CPUs,
and a client at 100% means the figure is the client's limit, not the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import platform as host
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from bench.events import RESULTS, background_load, cpu_ticks, median, percentile, progress
from brain.bootstrap import build_platform, create_app, load_platform_settings
from brain.course_distribution.schemas import CourseCTA, CourseSEO, DistributionCreate, Price
from brain.course_distribution.service import DistributionService
from brain.kernel import migrations
from brain.kernel.auth.service import AuthService
from brain.kernel.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR_VARIABLE = "BRAIN_BENCH_DISTRIBUTION_DIR"
DISTRIBUTIONS = 100
PER_UNIT_OF_WORK = 10
AIM_RATIO = 0.5
AIMED = ("catalog", "course_page")
"""The issue's two endpoints; the other targets explain the figures."""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARTUP_TIMEOUT = 60.0
BARE_PATH = "/bare"
BARE_BODY: dict[str, Any] = {"status": "ok", "service": "bare", "version": 1, "items": [1, 2, 3]}


@dataclass(frozen=True)
class Config:
    rounds: int
    seconds: float
    """Per round and target."""
    warmup_seconds: float
    """Per target, once, before the first round (not measured)."""
    concurrency: int


FULL = Config(rounds=7, seconds=5.0, warmup_seconds=2.0, concurrency=16)
QUICK = Config(rounds=3, seconds=1.0, warmup_seconds=0.5, concurrency=16)


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    server: str
    """"bare" or "app"."""
    path: Callable[[int], str]
    """The path of the n-th request."""


# -- the servers' apps (imported by uvicorn in the server processes) --------------------------


def bench_settings(data_dir: Path) -> Settings:
    """The embedded default under `data_dir`, without the embedded worker (never `.env`)."""
    return load_platform_settings(
        _env_file=None,
        data_dir=data_dir,
        database_url="",
        event_transport="sql",
        embedded_worker=False,
        log_level="WARNING",
    )


def product_app() -> FastAPI:
    """The real app on the benchmark's data (uvicorn factory)."""
    settings = bench_settings(Path(os.environ[DATA_DIR_VARIABLE]))
    assert not settings.runs_embedded_worker
    return create_app(build_platform(settings))


def bare_app() -> FastAPI:
    """One route, a constant JSON, nothing else (uvicorn factory)."""
    app = FastAPI()

    @app.get(BARE_PATH, response_model=None)
    async def bare() -> dict[str, Any]:
        return BARE_BODY

    return app


# -- the data ---------------------------------------------------------------------------------

TOPICS = [
    "Banking alternatives",
    "Personal budgeting",
    "Retirement savings",
    "Cyber security basics",
    "Negotiating your salary",
    "Sustainable investing",
    "Home energy savings",
    "Data protection at work",
    "Public speaking",
    "Time management",
    "First aid at the office",
    "Tax returns made simple",
    "Remote team leadership",
    "Spreadsheet essentials",
    "Healthy sleep habits",
    "Mortgage decisions",
    "Insurance without jargon",
    "Starting a small business",
    "Phishing awareness",
    "Conflict resolution",
]
LEVELS = ["for beginners", "in practice", "step by step", "compact", "advanced"]
LANGUAGES = ["en", "de", "fr", "es"]
AUDIENCES = [
    ["employees"],
    ["private_individuals"],
    ["students", "trainees"],
    ["managers"],
    ["self_employed", "freelancers"],
    ["retirees"],
    ["employees", "managers", "hr_teams"],
]
CTAS = [
    CourseCTA(label="Start the course", action="open_course"),
    CourseCTA(label="Download the outline", action="download_outline"),
    CourseCTA(label="Talk to an advisor", action="contact"),
    CourseCTA(label="Book your seat", action="custom", url="https://shop.example/book"),
]


def distribution_body(n: int) -> DistributionCreate:
    topic = TOPICS[n % len(TOPICS)]
    level = LEVELS[(n // len(TOPICS)) % len(LEVELS)]
    language = LANGUAGES[n % len(LANGUAGES)]
    title = f"{topic} {level}"
    alternates = {
        other: f"https://courses.example/{other}/{n}" for other in LANGUAGES if other != language
    }
    return DistributionCreate(
        course_id=uuid.uuid4(),
        title=title,
        description=(
            f"{topic}: a practical online course {level}, with short lessons, examples from "
            f"everyday life and a quiz at the end of every module. Course number {n}."
        ),
        language=language,  # type: ignore[arg-type]
        target_group=AUDIENCES[n % len(AUDIENCES)],
        seo=CourseSEO(
            meta_title=f"{title} | online course"[:60],
            meta_description=(
                f"Learn {topic.lower()} {level}: short lessons, practical examples and a quiz."
            )[:160],
            keywords=[word.lower() for word in topic.split()][:10],
            og_image_url=f"https://cdn.example/og/{n}.png" if n % 3 else None,
            hreflang_alternates=alternates if n % 2 else {},
        ),
        cta=CTAS[n % len(CTAS)],
        price=Price(amount_minor=(n % 5) * 1900, currency="EUR") if n % 4 else None,
    )


async def seed(data_dir: Path) -> list[str]:
    """Migrate the embedded database, make a tenant and 100 PUBLIC distributions; their slugs."""
    platform = build_platform(bench_settings(data_dir))
    slugs: list[str] = []
    try:
        await migrations.upgrade(platform.database.engine)
        async with platform.unit_of_work() as uow:
            tenant = await AuthService(uow.session).create_tenant("bench")
        for start in range(0, DISTRIBUTIONS, PER_UNIT_OF_WORK):
            async with platform.unit_of_work() as uow:
                service = DistributionService(uow, platform.events.publisher)
                for n in range(start, min(start + PER_UNIT_OF_WORK, DISTRIBUTIONS)):
                    made = await service.create(tenant.id, distribution_body(n))
                    await service.publish_distribution(made, "PUBLIC")
                    slugs.append(made.slug)
    finally:
        await platform.close()
    return slugs


# -- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A uvicorn process serving `factory`, one worker, no access log."""

    def __init__(self, name: str, factory: str, ready_path: str, data_dir: Path) -> None:
        self.name = name
        self.factory = factory
        self.ready_path = ready_path
        self.data_dir = data_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"{name}-server.log"

    async def __aenter__(self) -> Server:
        env = {
            **os.environ,
            DATA_DIR_VARIABLE: str(self.data_dir),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                self.factory,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
                "--no-access-log",
                "--log-level",
                "warning",
                cwd=self.data_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            await self._wait_ready()
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        async with httpx.AsyncClient(base_url=self.base_url) as client:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise RuntimeError(f"the {self.name} server exited:\n{self.tail()}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(self.ready_path)).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"the {self.name} server did not answer in {STARTUP_TIMEOUT:.0f} s")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    async def __aexit__(self, *_: object) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# -- the load ---------------------------------------------------------------------------------


@dataclass
class Round:
    target: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    bad: dict[str, int] = field(default_factory=dict)
    bytes_per_response: float = 0.0
    server_cpu: float = 0.0
    server_ms_per_request: float = 0.0
    """CPU time of the server process per request: what the server's own limit depends on."""
    client_cpu: float = 0.0
    machine_busy: float | None = None


async def load(
    client: httpx.AsyncClient, server: Server, target: Target, config: Config, seconds: float
) -> Round:
    """`config.concurrency` tasks send requests back to back for `seconds`."""
    counter = itertools.count()
    latencies: list[float] = []
    bad: Counter[str] = Counter()
    size = 0
    started = time.perf_counter()
    deadline = started + seconds
    last = started

    async def worker() -> None:
        nonlocal size, last
        while time.perf_counter() < deadline:
            path = target.path(next(counter))
            sent = time.perf_counter()
            try:
                response = await client.get(server.base_url + path)
            except httpx.HTTPError as exc:
                bad[type(exc).__name__] += 1
                continue
            done = time.perf_counter()
            latencies.append(done - sent)
            last = max(last, done)
            size += len(response.content)
            if response.status_code != 200:
                bad[str(response.status_code)] += 1

    server_cpu, client_cpu, ticks = server.cpu_seconds(), time.process_time(), cpu_ticks()
    await asyncio.gather(*(worker() for _ in range(config.concurrency)))
    elapsed = last - started
    server_cpu = server.cpu_seconds() - server_cpu
    after = cpu_ticks()
    busy = None
    if ticks and after and after[1] > ticks[1]:
        busy = (after[0] - ticks[0]) / (after[1] - ticks[1])
    if not latencies:
        raise RuntimeError(f"{target.name}: no request completed ({dict(bad)})")
    return Round(
        target=target.name,
        requests=len(latencies),
        seconds=elapsed,
        rps=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        max_ms=max(latencies) * 1000,
        bad=dict(bad),
        bytes_per_response=size / len(latencies),
        server_cpu=server_cpu / elapsed,
        server_ms_per_request=server_cpu / len(latencies) * 1000,
        client_cpu=(time.process_time() - client_cpu) / elapsed,
        machine_busy=busy,
    )


async def sanity_check(client: httpx.AsyncClient, app: Server, slugs: Sequence[str]) -> None:
    """The catalog lists the 100 distributions and every course page answers."""
    response = await client.get(app.base_url + "/api/distributions/catalog?page_size=100")
    response.raise_for_status()
    page = response.json()
    if page["total"] != DISTRIBUTIONS or len(page["items"]) != DISTRIBUTIONS:
        raise RuntimeError(f"the catalog lists {page['total']} distributions, not {DISTRIBUTIONS}")
    for slug in slugs:
        response = await client.get(f"{app.base_url}/courses/{slug}")
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            raise RuntimeError(f"/courses/{slug} answered {response.status_code}")


def targets(slugs: Sequence[str]) -> list[Target]:
    return [
        Target("bare", "bare FastAPI route, constant JSON", "bare", lambda _: BARE_PATH),
        Target(
            "health", "the real app's GET /health (middleware only)", "app", lambda _: "/health"
        ),
        Target(
            "catalog",
            "GET /api/distributions/catalog",
            "app",
            lambda _: "/api/distributions/catalog",
        ),
        Target(
            "catalog_100",
            "GET /api/distributions/catalog?page_size=100",
            "app",
            lambda _: "/api/distributions/catalog?page_size=100",
        ),
        Target(
            "course_page",
            "GET /courses/{slug}, 100 slugs in turn",
            "app",
            lambda n: f"/courses/{slugs[n % len(slugs)]}",
        ),
    ]


# -- the run ----------------------------------------------------------------------------------


def describe() -> dict[str, str]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    status = git("status", "--porcelain", "--", "src")
    dirty = "?" if status == "?" else "yes" if status else "no"
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    return {
        "python": host.python_version(),
        "uvicorn": version("uvicorn"),
        "fastapi": version("fastapi"),
        "httpx": version("httpx"),
        "loop": loop,
        "cpus": str(os.cpu_count()),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": git("rev-parse", "--short", "HEAD"),
        "src_dirty": dirty,
    }


async def run(quick: bool) -> int:
    config = QUICK if quick else FULL
    began = time.perf_counter()
    about = describe()
    data_dir = Path(tempfile.mkdtemp(prefix="brain-bench-distribution-"))
    rounds: dict[str, list[Round]] = {}
    try:
        progress(f"making {DISTRIBUTIONS} public distributions in {data_dir}")
        slugs = await seed(data_dir)
        background = await background_load(1.0)
        about["background"] = "?" if background is None else f"{background:.0%}"
        progress("starting the servers")
        async with (
            Server("bare", "bench.distribution:bare_app", BARE_PATH, data_dir) as bare,
            Server("app", "bench.distribution:product_app", "/health", data_dir) as app,
        ):
            servers = {"bare": bare, "app": app}
            limits = httpx.Limits(
                max_connections=config.concurrency, max_keepalive_connections=config.concurrency
            )
            async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
                await sanity_check(client, app, slugs)
                chosen = targets(slugs)
                rounds = {t.name: [] for t in chosen}
                for target in chosen:
                    progress(f"warming up {target.name}")
                    await load(
                        client, servers[target.server], target, config, config.warmup_seconds
                    )
                for k in range(config.rounds):
                    progress(f"round {k + 1} of {config.rounds}")
                    shift = k % len(chosen)
                    for target in chosen[shift:] + chosen[:shift]:
                        rounds[target.name].append(
                            await load(
                                client, servers[target.server], target, config, config.seconds
                            )
                        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    figures = summarize(rounds)
    text = report(config, quick, about, chosen, figures, time.perf_counter() - began)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "distribution-quick" if quick else "distribution"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    raw = {t: [r.__dict__ for r in rs] for t, rs in rounds.items()}
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"about": about, "config": config.__dict__, **figures, "rounds": raw}, indent=2)
        + "\n"
    )
    return 1 if any(f["bad"] for f in figures["targets"].values()) else 0


def summarize(rounds: dict[str, list[Round]]) -> dict[str, Any]:
    bare = rounds["bare"]
    figures: dict[str, Any] = {}
    for name, runs in rounds.items():
        ratios = [r.rps / b.rps for r, b in zip(runs, bare, strict=True)]
        cpu_ratios = [
            b.server_ms_per_request / r.server_ms_per_request
            for r, b in zip(runs, bare, strict=True)
            if r.server_ms_per_request > 0
        ]
        bad: Counter[str] = Counter()
        for r in runs:
            bad.update(r.bad)
        figures[name] = {
            "rps": median([r.rps for r in runs]),
            "rps_runs": [r.rps for r in runs],
            "p50_ms": median([r.p50_ms for r in runs]),
            "p99_ms": median([r.p99_ms for r in runs]),
            "p99_runs": [r.p99_ms for r in runs],
            "ratio": median(ratios),
            "ratios": ratios,
            "requests": sum(r.requests for r in runs),
            "bad": dict(bad),
            "bytes": median([r.bytes_per_response for r in runs]),
            "server_cpu": median([r.server_cpu for r in runs]),
            "server_ms": median([r.server_ms_per_request for r in runs]),
            "cpu_ratio": median(cpu_ratios) if cpu_ratios else 0.0,
            "client_cpu": median([r.client_cpu for r in runs]),
            "machine_busy": median([r.machine_busy or 0.0 for r in runs]),
        }
    return {"targets": figures}


def spread(values: Sequence[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f} .. {max(values):,.{digits}f}"


def report(
    config: Config,
    quick: bool,
    about: dict[str, str],
    chosen: Sequence[Target],
    f: dict[str, Any],
    elapsed: float,
) -> str:
    figures = f["targets"]
    lines = [
        f"Public distribution endpoints benchmark ({'quick' if quick else 'full'} run, "
        f"{elapsed:.0f} s)",
        f"  commit {about['commit']} (uncommitted changes in src/: {about['src_dirty']}); "
        f"Python {about['python']}, uvicorn {about['uvicorn']} ({about['loop']}), "
        f"FastAPI {about['fastapi']}, httpx {about['httpx']}",
        f"  {about['cpus']} CPUs shared by the load generator and the server; load average at "
        f"start {about['load']}, CPUs {about['background']} busy with other work just before",
        f"  {DISTRIBUTIONS} PUBLIC distributions on SQLite (embedded default, no worker); one "
        f"uvicorn process per app, 1 worker; httpx keep-alive, {config.concurrency} concurrent "
        f"requests,",
        f"  {config.seconds:g} s per target and round, {config.rounds} rounds (order rotated), "
        f"after {config.warmup_seconds:g} s of warm-up per target; ratio = req/s / bare req/s "
        f"of the same round",
        "",
        f"  {'target':<46} {'req/s':>7} {'runs min .. max':>16} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'ratio':>6} {'ratios min .. max':>17}  aim",
    ]
    for target in chosen:
        t = figures[target.name]
        aim = ""
        if target.name in AIMED:
            aim = f">= {AIM_RATIO}: {'met' if t['ratio'] >= AIM_RATIO else 'MISSED'}"
        lines.append(
            f"  {target.label:<46} {t['rps']:>7,.0f} {spread(t['rps_runs']):>16}"
            f" {t['p50_ms']:>7.1f} {t['p99_ms']:>7.1f} {t['ratio']:>6.2f}"
            f" {spread(t['ratios'], 2):>17}  {aim}".rstrip()
        )
    lines += [
        "",
        f"  {'target':<46} {'requests':>8} {'non-200':>8} {'bytes/resp':>10} {'server CPU':>10}"
        f" {'client CPU':>10} {'machine':>7} {'server ms/req':>13} {'CPU ratio':>9}",
    ]
    for target in chosen:
        t = figures[target.name]
        bad = sum(t["bad"].values())
        lines.append(
            f"  {target.label:<46} {t['requests']:>8,} {bad:>8,} {t['bytes']:>10,.0f}"
            f" {t['server_cpu']:>10.0%} {t['client_cpu']:>10.0%} {t['machine_busy']:>7.0%}"
            f" {t['server_ms']:>13.2f} {t['cpu_ratio']:>9.2f}"
        )
    lines += [
        "  (server CPU, client CPU: share of one core used by the server process and by this "
        "load generator; machine: all cores;",
        "  server ms/req: the server process's CPU time per request; CPU ratio: bare server ms/req "
        "/ this one, round by round, the median:",
        "  the req/s ratio a load generator that saturates the server would see, when the server "
        "is CPU-bound)",
    ]
    for target in chosen:
        if figures[target.name]["bad"]:
            lines.append(f"  {target.label}: unexpected answers {figures[target.name]['bad']}")
    return "\n".join(lines)
