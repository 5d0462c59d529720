"""The public pages' benchmark, measured with `wrk`: requests/s, p50/p99, timeouts and non-2xx
answers, and the server's CPU time per request, of a bare FastAPI route and of the platform's
public routes, side by side in one run, on the embedded default (SQLite) and on PostgreSQL.

Load comes from `wrk` (Debian's package `wrk`; installed with apt-get when it is missing and this
runs as root, otherwise the run stops and says so), a separate C process: 1 thread, 32
connections, keep-alive, 5 s per measurement. A Lua script the bench writes into a temporary
directory reports wrk's own figures as JSON (requests, percentiles, socket errors, timeouts,
answers >= 400); `/courses/{slug}` requests the 100 slugs in turn from a generated list.

Servers: separate processes started the same way, `python -m uvicorn --factory … --host
127.0.0.1 --workers 1 --no-access-log --log-level warning` (uvloop and httptools, uvicorn's
defaults): one bare FastAPI app whose only route, `GET /ping`, returns a constant dict, for the
whole run; one platform app (`create_app(build_platform(settings))`, no embedded worker) per
database. The server's CPU time (user + system, `/proc/<pid>/stat`) is read before and after
every wrk run; wrk's own from `getrusage(RUSAGE_CHILDREN)`.

Data: a tenant and 100 PUBLIC distributions (varied titles, languages, audiences, SEO with
hreflang alternates, CTAs and prices) made through `DistributionService`, and a few PRIVATE ones
kept for the cache-miss measurement.

Rounds: every target once per round in an order rotated from round to round, 3 rounds after a
warm-up; the ratio is taken against the bare route of the same round, then the median.

The cache miss: this process publishes one of the PRIVATE distributions (the platform's service,
its own connection to the database, as another API process would), waits until the server has
seen the catalog's version change, then requests every course page once in turn, one at a time:
each is rendered (a miss). Server CPU per page = the server's CPU time over those requests /
their number; repeated once per round.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform as host
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from fastapi import FastAPI

from bench.events import RESULTS, background_load, median, progress
from brain.bootstrap import build_platform, create_app, load_platform_settings
from brain.course_distribution.schemas import CourseCTA, CourseSEO, DistributionCreate, Price
from brain.course_distribution.service import DistributionService
from brain.kernel import migrations
from brain.kernel.auth.service import AuthService
from brain.kernel.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR_VARIABLE = "BRAIN_BENCH_DISTRIBUTION_DIR"
URL_VARIABLE = "BRAIN_BENCH_DISTRIBUTION_DATABASE_URL"
POSTGRES_URL = os.environ.get(
    "BRAIN_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DISTRIBUTIONS = 100
HELD_BACK = 8
"""PRIVATE distributions, published one per round for the cache-miss measurement."""
PER_UNIT_OF_WORK = 10
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARTUP_TIMEOUT = 60.0
BARE_PATH = "/ping"
BARE_BODY: dict[str, Any] = {"status": "ok", "service": "bare", "version": 1, "items": [1, 2, 3]}
AIM_RATIO = 0.7
AIM_P99_MS = 25.0
AIM_MISS_MS = 10.0
WRK_PACKAGE = "wrk"


@dataclass(frozen=True)
class Config:
    rounds: int
    seconds: float
    warmup_seconds: float
    connections: int
    wrk_timeout_seconds: float = 2.0


FULL = Config(rounds=3, seconds=5.0, warmup_seconds=2.0, connections=32)
QUICK = Config(rounds=2, seconds=2.0, warmup_seconds=1.0, connections=32)


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    server: str
    """"bare" or "app"."""
    path: str
    cached: bool
    """A public route the aims hold for."""
    rotate: bool = False
    """Request the 100 course pages in turn (`path` is their prefix)."""


TARGETS = [
    Target("bare", "bare FastAPI GET /ping", "bare", BARE_PATH, cached=False),
    Target("health", "GET /health (middleware only)", "app", "/health", cached=False),
    Target(
        "catalog_api", "GET /api/distributions/catalog", "app", "/api/distributions/catalog", True
    ),
    Target("catalog_page", "GET /courses", "app", "/courses", cached=True),
    Target("course_page", "GET /courses/{slug}, 100 in turn", "app", "/courses/", True, True),
    Target("sitemap", "GET /sitemap.xml", "app", "/sitemap.xml", cached=True),
]


# -- the servers' apps (imported by uvicorn in the server processes) --------------------------


def bench_settings(data_dir: Path, database_url: str = "") -> Settings:
    """The platform under `data_dir` on `database_url` (empty: the embedded SQLite file),
    without the embedded worker, never reading `.env`."""
    return load_platform_settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        event_transport="sql",
        embedded_worker=False,
        log_level="WARNING",
    )


def product_app() -> FastAPI:
    """The real app on the benchmark's data (uvicorn factory)."""
    settings = bench_settings(Path(os.environ[DATA_DIR_VARIABLE]), os.environ.get(URL_VARIABLE, ""))
    assert not settings.runs_embedded_worker
    return create_app(build_platform(settings))


def bare_app() -> FastAPI:
    """One route, a constant JSON, nothing else (uvicorn factory)."""
    app = FastAPI()

    @app.get(BARE_PATH, response_model=None)
    async def ping() -> dict[str, Any]:
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


@dataclass
class Data:
    tenant_id: uuid.UUID
    slugs: list[str]
    held_back: list[uuid.UUID]


async def seed(settings: Settings) -> Data:
    """Migrate, make a tenant, 100 PUBLIC distributions and the PRIVATE ones held back."""
    platform = build_platform(settings)
    slugs: list[str] = []
    held: list[uuid.UUID] = []
    try:
        await migrations.upgrade(platform.database.engine)
        async with platform.unit_of_work() as uow:
            tenant = await AuthService(uow.session).create_tenant("bench")
        total = DISTRIBUTIONS + HELD_BACK
        for start in range(0, total, PER_UNIT_OF_WORK):
            async with platform.unit_of_work() as uow:
                service = DistributionService(uow, platform.events.publisher)
                for n in range(start, min(start + PER_UNIT_OF_WORK, total)):
                    made = await service.create(tenant.id, distribution_body(n))
                    if n < DISTRIBUTIONS:
                        await service.publish_distribution(made, "PUBLIC")
                        slugs.append(made.slug)
                    else:
                        held.append(made.id)
    finally:
        await platform.close()
    return Data(tenant.id, slugs, held)


async def publish_one(settings: Settings, data: Data, distribution_id: uuid.UUID) -> None:
    platform = build_platform(settings)
    try:
        async with platform.unit_of_work() as uow:
            await DistributionService(uow, platform.events.publisher).publish(
                data.tenant_id, distribution_id
            )
    finally:
        await platform.close()


async def postgres_database() -> str | None:
    try:
        conn = await asyncpg.connect(POSTGRES_URL, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return None
    name = f"brain_bench_{uuid.uuid4().hex[:12]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres(url: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


# -- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A uvicorn process serving `factory`, one worker, no access log."""

    def __init__(
        self, name: str, factory: str, ready_path: str, data_dir: Path, database_url: str = ""
    ) -> None:
        self.name = name
        self.factory = factory
        self.ready_path = ready_path
        self.data_dir = data_dir
        self.database_url = database_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"{name}-server.log"

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            DATA_DIR_VARIABLE: str(self.data_dir),
            URL_VARIABLE: self.database_url,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
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
                ],
                cwd=self.data_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.name} server exited:\n{self.tail()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.base_url + self.ready_path).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"the {self.name} server did not answer in {STARTUP_TIMEOUT:.0f} s")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# -- wrk --------------------------------------------------------------------------------------

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,'
    .. '"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def rotating_lua(paths: Sequence[str]) -> str:
    listed = ",\n".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n" + REPORT_LUA
    )


def find_wrk() -> str:
    """The `wrk` binary; installed from Debian's package when missing and this runs as root."""
    found = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        progress(f"installing Debian's package {WRK_PACKAGE}")
        subprocess.run(["apt-get", "install", "-y", WRK_PACKAGE], check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit(
        f"this benchmark needs wrk: install Debian's package `{WRK_PACKAGE}` "
        f"(apt-get install -y {WRK_PACKAGE})"
    )


@dataclass
class Measured:
    target: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    timeouts: int
    non_2xx: int
    socket_errors: int
    bytes_per_response: float
    server_cpu: float
    """Share of one core the server used."""
    server_ms_per_request: float
    wrk_cpu: float
    """Share of one core wrk used."""


def run_wrk(
    wrk: str, server: Server, target: Target, script: Path, config: Config, seconds: float
) -> Measured:
    before_server = server.cpu_seconds()
    before_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    url = server.base_url + ("" if target.rotate else target.path)
    started = time.perf_counter()
    done = subprocess.run(
        [
            wrk,
            "-t1",
            f"-c{config.connections}",
            f"-d{seconds:g}s",
            f"--timeout={config.wrk_timeout_seconds:g}s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after_wrk = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = server.cpu_seconds() - before_server
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures for {target.name}:\n{done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("WRK_JSON "))
    duration = figures["duration_us"] / 1e6
    requests = figures["requests"]
    wrk_cpu = (after_wrk.ru_utime - before_wrk.ru_utime) + (
        after_wrk.ru_stime - before_wrk.ru_stime
    )
    return Measured(
        target=target.name,
        requests=requests,
        rps=requests / duration,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        timeouts=figures["timeout"],
        non_2xx=figures["status"],
        socket_errors=figures["connect"] + figures["read"] + figures["write"],
        bytes_per_response=figures["bytes"] / max(requests, 1),
        server_cpu=server_cpu / duration,
        server_ms_per_request=server_cpu / max(requests, 1) * 1000,
        wrk_cpu=wrk_cpu / elapsed,
    )


# -- the cache miss ---------------------------------------------------------------------------


@dataclass
class Miss:
    pages: int
    server_ms_per_page: float
    p50_ms: float
    max_ms: float


def wait_for_change(app: Server, before: int, timeout: float = 10.0) -> None:
    """Until the server's catalog lists one more distribution (it has seen the new version)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total = httpx.get(app.base_url + "/api/distributions/catalog?page_size=1").json()["total"]
        if total > before:
            return
        time.sleep(0.05)
    raise RuntimeError("the server did not see the publish")


def miss_round(settings: Settings, data: Data, app: Server, publish: uuid.UUID) -> Miss:
    before = httpx.get(app.base_url + "/api/distributions/catalog?page_size=1").json()["total"]
    asyncio.run(publish_one(settings, data, publish))
    wait_for_change(app, before)
    latencies: list[float] = []
    with httpx.Client(base_url=app.base_url) as client:
        cpu = app.cpu_seconds()
        for slug in data.slugs:
            sent = time.perf_counter()
            response = client.get(f"/courses/{slug}")
            latencies.append(time.perf_counter() - sent)
            if response.status_code != 200:
                raise RuntimeError(f"/courses/{slug} answered {response.status_code}")
        cpu = app.cpu_seconds() - cpu
    return Miss(
        pages=len(data.slugs),
        server_ms_per_page=cpu / len(data.slugs) * 1000,
        p50_ms=median(latencies) * 1000,
        max_ms=max(latencies) * 1000,
    )


# -- one database -----------------------------------------------------------------------------


def sanity_check(app: Server, slugs: Sequence[str]) -> None:
    page = httpx.get(app.base_url + "/api/distributions/catalog?page_size=100").json()
    if page["total"] != DISTRIBUTIONS:
        raise RuntimeError(f"the catalog lists {page['total']} distributions, not {DISTRIBUTIONS}")
    for slug in slugs:
        response = httpx.get(f"{app.base_url}/courses/{slug}")
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            raise RuntimeError(f"/courses/{slug} answered {response.status_code}")


async def one_database(
    label: str, database_url: str, wrk: str, bare: Server, scripts: Path, config: Config
) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"brain-bench-distribution-{label}-"))
    settings = bench_settings(data_dir, database_url)
    try:
        progress(f"{label}: making {DISTRIBUTIONS} public distributions")
        data = await seed(settings)
        # the load and the servers are driven from a thread: blocking calls, no event loop
        return await asyncio.to_thread(
            measure, label, settings, data, data_dir, wrk, bare, scripts, config
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def measure(
    label: str,
    settings: Settings,
    data: Data,
    data_dir: Path,
    wrk: str,
    bare: Server,
    scripts: Path,
    config: Config,
) -> dict[str, Any]:
    course_script = scripts / f"courses-{label}.lua"
    course_script.write_text(rotating_lua([f"/courses/{s}" for s in data.slugs]))
    url = settings.database_url

    def script_of(target: Target) -> Path:
        return course_script if target.rotate else scripts / "report.lua"

    factory = "bench.distribution:product_app"
    with Server(f"app-{label}", factory, "/health", data_dir, url) as app:
        servers = {"bare": bare, "app": app}
        sanity_check(app, data.slugs)
        for target in TARGETS:
            progress(f"{label}: warming up {target.name}")
            server = servers[target.server]
            run_wrk(wrk, server, target, script_of(target), config, config.warmup_seconds)
        runs: dict[str, list[Measured]] = {t.name: [] for t in TARGETS}
        misses: list[Miss] = []
        for k in range(config.rounds):
            progress(f"{label}: round {k + 1} of {config.rounds}")
            shift = k % len(TARGETS)
            for target in TARGETS[shift:] + TARGETS[:shift]:
                server = servers[target.server]
                runs[target.name].append(
                    run_wrk(wrk, server, target, script_of(target), config, config.seconds)
                )
            misses.append(miss_round(settings, data, app, data.held_back[k]))
        return {"runs": runs, "misses": misses}


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    runs: dict[str, list[Measured]] = result["runs"]
    bare = runs["bare"]
    figures: dict[str, Any] = {}
    for target in TARGETS:
        measured = runs[target.name]
        ratios = [m.rps / b.rps for m, b in zip(measured, bare, strict=True)]
        figure = {
            "rps": median([m.rps for m in measured]),
            "rps_runs": [m.rps for m in measured],
            "ratio": median(ratios),
            "ratios": ratios,
            "p50_ms": median([m.p50_ms for m in measured]),
            "p99_ms": median([m.p99_ms for m in measured]),
            "p99_runs": [m.p99_ms for m in measured],
            "max_ms": max(m.max_ms for m in measured),
            "timeouts": sum(m.timeouts for m in measured),
            "non_2xx": sum(m.non_2xx for m in measured),
            "socket_errors": sum(m.socket_errors for m in measured),
            "bytes": median([m.bytes_per_response for m in measured]),
            "server_cpu": median([m.server_cpu for m in measured]),
            "server_ms": median([m.server_ms_per_request for m in measured]),
            "wrk_cpu": median([m.wrk_cpu for m in measured]),
        }
        if target.cached:
            figure["aim_met"] = bool(
                figure["ratio"] >= AIM_RATIO
                and figure["p99_ms"] < AIM_P99_MS
                and not (figure["timeouts"] or figure["non_2xx"] or figure["socket_errors"])
            )
        figures[target.name] = figure
    misses: list[Miss] = result["misses"]
    miss = {
        "server_ms_per_page": median([m.server_ms_per_page for m in misses]),
        "runs": [m.server_ms_per_page for m in misses],
        "p50_ms": median([m.p50_ms for m in misses]),
        "max_ms": max(m.max_ms for m in misses),
        "pages": sum(m.pages for m in misses),
    }
    miss["aim_met"] = miss["server_ms_per_page"] < AIM_MISS_MS
    return {"targets": figures, "miss": miss}


def describe(wrk: str) -> dict[str, str]:
    def run(*args: str) -> str:
        try:
            done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=10)
            return (done.stdout or done.stderr).strip()
        except (OSError, subprocess.SubprocessError):
            return "?"

    status = run("git", "status", "--porcelain", "--", "src")
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:
        loop = "asyncio"
    return {
        "python": host.python_version(),
        "uvicorn": version("uvicorn"),
        "fastapi": version("fastapi"),
        "wrk": run(wrk, "--version").splitlines()[0] if run(wrk, "--version") else "?",
        "loop": loop,
        "cpus": str(os.cpu_count()),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": run("git", "rev-parse", "--short", "HEAD"),
        "src_dirty": "?" if status == "?" else "yes" if status else "no",
    }


async def run(quick: bool) -> int:
    config = QUICK if quick else FULL
    began = time.perf_counter()
    wrk = find_wrk()
    about = describe(wrk)
    background = await background_load(1.0)
    about["background"] = "?" if background is None else f"{background:.0%}"
    results: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    scripts = Path(tempfile.mkdtemp(prefix="brain-bench-wrk-"))
    bare_dir = Path(tempfile.mkdtemp(prefix="brain-bench-bare-"))
    pg_url = await postgres_database()
    try:
        (scripts / "report.lua").write_text(REPORT_LUA)
        with Server("bare", "bench.distribution:bare_app", BARE_PATH, bare_dir) as bare:
            results["SQLite"] = summarize(
                await one_database("sqlite", "", wrk, bare, scripts, config)
            )
            if pg_url is None:
                skipped.append(f"PostgreSQL: nothing answers at {POSTGRES_URL}")
            else:
                pg = pg_url.replace("postgresql://", "postgresql+asyncpg://", 1)
                results["PostgreSQL"] = summarize(
                    await one_database("postgres", pg, wrk, bare, scripts, config)
                )
    finally:
        shutil.rmtree(scripts, ignore_errors=True)
        shutil.rmtree(bare_dir, ignore_errors=True)
        if pg_url is not None:
            await drop_postgres(pg_url)
    text = report(config, quick, about, results, skipped, time.perf_counter() - began)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    name = "distribution-quick" if quick else "distribution"
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"about": about, "config": asdict(config), **results}, indent=2) + "\n"
    )
    met = all(
        f.get("aim_met", True)
        for r in results.values()
        for f in [*r["targets"].values(), r["miss"]]
    )
    return 0 if met else 1


def spread(values: Sequence[float], digits: int = 0) -> str:
    return f"{min(values):,.{digits}f}..{max(values):,.{digits}f}"


def report(
    config: Config,
    quick: bool,
    about: dict[str, str],
    results: dict[str, dict[str, Any]],
    skipped: Sequence[str],
    elapsed: float,
) -> str:
    lines = [
        f"Public pages benchmark ({'quick' if quick else 'full'} run, {elapsed:.0f} s)",
        f"  commit {about['commit']} (uncommitted changes in src/: {about['src_dirty']}); "
        f"Python {about['python']}, uvicorn {about['uvicorn']} ({about['loop']}), "
        f"FastAPI {about['fastapi']}, {about['wrk']}",
        f"  {about['cpus']} CPUs shared by wrk, the servers and other work; load average at "
        f"start {about['load']}, CPUs {about['background']} busy just before",
        f"  {DISTRIBUTIONS} PUBLIC distributions; one uvicorn process per app, 1 worker; wrk -t1 "
        f"-c{config.connections}, {config.seconds:g} s per measurement, {config.rounds} rounds "
        f"(order rotated) after {config.warmup_seconds:g} s of warm-up per target",
        f"  ratio = req/s / bare req/s of the same round, median; aims for the public routes: "
        f"ratio >= {AIM_RATIO}, p99 < {AIM_P99_MS:g} ms, no timeout or error; a miss < "
        f"{AIM_MISS_MS:g} ms of server CPU",
    ]
    for label, result in results.items():
        figures = result["targets"]
        lines += [
            "",
            f"  {label}",
            f"  {'target':<36} {'req/s':>7} {'runs':>13} {'ratio':>5} {'p50 ms':>6}"
            f" {'p99 ms':>6} {'max ms':>7} {'tmo':>4} {'!2xx':>5} {'sock':>4} {'KB':>5}"
            f" {'srv CPU':>7} {'srv ms/req':>10} {'wrk CPU':>7}  aim",
        ]
        for target in TARGETS:
            t = figures[target.name]
            aim = ""
            if "aim_met" in t:
                aim = "met" if t["aim_met"] else "MISSED"
            lines.append(
                f"  {target.label:<36} {t['rps']:>7,.0f} {spread(t['rps_runs']):>13}"
                f" {t['ratio']:>5.2f} {t['p50_ms']:>6.1f} {t['p99_ms']:>6.1f} {t['max_ms']:>7.1f}"
                f" {t['timeouts']:>4} {t['non_2xx']:>5} {t['socket_errors']:>4}"
                f" {t['bytes'] / 1024:>5.1f} {t['server_cpu']:>7.0%} {t['server_ms']:>10.3f}"
                f" {t['wrk_cpu']:>7.0%}  {aim}".rstrip()
            )
        miss = result["miss"]
        lines.append(
            f"  {'cache miss: a course page right after a publish':<52}"
            f" server CPU {miss['server_ms_per_page']:.2f} ms/page"
            f" (runs {spread(miss['runs'], 2)}), latency p50 {miss['p50_ms']:.1f} ms,"
            f" max {miss['max_ms']:.1f} ms, {miss['pages']} pages  "
            f"{'met' if miss['aim_met'] else 'MISSED'}"
        )
    for note in skipped:
        lines += ["", f"  skipped: {note}"]
    lines += [
        "",
        "  (tmo: wrk timeouts; !2xx: answers >= 400; sock: connect/read/write errors; KB: body "
        "per response; srv CPU, wrk CPU: share of one core; srv ms/req: server CPU time per "
        "request)",
    ]
    return "\n".join(lines)
