"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright, against a real
`brain setup` + `brain serve` on the embedded default (one server and one browser for every
scenario here). Each scenario saves a screenshot of every page it visits under
`test-artifacts/dashboard/`.

Under CI=true a missing Chromium fails these tests (`.ci/run` installs it); elsewhere they skip
saying so.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from tests.e2e.test_make_run import Served, running_platform
from tests.support.content import package_files, zip_of
from tests.support.services import IN_CI

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
GENERATION_SECONDS = 120
STEP_SECONDS = 30
"""How long one step may take: the machine running the suite may be busy."""
COURSE_TITLE = "Alternativen zur Hausbank"
BUYER = "grace.buyer@example.org"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if IN_CI:
        pytest.fail(f"{message}; under CI=true the browser tests must run, not skip")
    pytest.skip(message)


@dataclass
class Keys:
    admin: str
    approver: str
    viewer: str


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_chromium()
    with running_platform(tmp_path_factory.mktemp("dashboard-e2e")) as platform:
        yield platform


@pytest.fixture(scope="module")
def keys(served: Served) -> Keys:
    def issue(role: str) -> str:
        response = httpx.post(
            f"{served.base}/api/apikeys",
            json={"role": role, "name": f"{role} of the browser tests"},
            headers={"Authorization": f"Bearer {served.key}"},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["key"])

    return Keys(admin=served.key, approver=issue("approver"), viewer=issue("viewer"))


expect.set_options(timeout=STEP_SECONDS * 1000)


@pytest.fixture(scope="module")
async def browser(served: Served) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        await launched.close()


class Pages:
    """A browser context of its own (its own cookies) that screenshots each page it shows, and
    records what the browser refused under the Content-Security-Policy."""

    def __init__(self, context: BrowserContext, page: Page, scenario: str) -> None:
        self.context = context
        self.page = page
        self.scenario = scenario
        self.shots = 0
        self.refused: list[str] = []
        page.on("console", self._console)

    def _console(self, message: object) -> None:
        text = getattr(message, "text", "")
        if "Content Security Policy" in text or "Refused to" in text:
            self.refused.append(text)

    async def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.scenario}-{self.shots:02d}-{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)

    async def sign_in(self, base: str, key: str) -> None:
        page = self.page
        await page.goto(f"{base}/admin")
        await expect(page).to_have_url(re.compile(r"/admin/login"))
        await page.get_by_label("API key", exact=True).fill(key)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.locator(".flash")).to_have_text("Signed in.")

    async def flash(self) -> str:
        return (await self.page.locator(".flash").first.inner_text()).strip()


OpenPages = Callable[..., Awaitable[Pages]]


@pytest.fixture
async def open_pages(browser: Browser) -> AsyncIterator[OpenPages]:
    """A new browser context per call (a second person is a second context)."""
    contexts: list[BrowserContext] = []

    async def open(scenario: str, **options: object) -> Pages:
        context = await browser.new_context(
            locale="en-GB",
            timezone_id="Europe/Berlin",
            **options,  # type: ignore[arg-type]  # Playwright's keyword options
        )
        context.set_default_timeout(STEP_SECONDS * 1000)
        contexts.append(context)
        return Pages(context, await context.new_page(), scenario)

    yield open
    for context in contexts:
        await context.close()


async def test_an_operator_generates_reviews_publishes_releases_and_refunds_in_the_browser(
    served: Served, keys: Keys, open_pages: OpenPages
) -> None:
    """The issue's "done when": sign in, create a course, watch it reach 100 %, edit a lesson,
    request REVIEW → PUBLISH_READY, have a second person approve, publish, release an
    assignment and refund a payment — every step in the browser (only the example package is
    uploaded through the API beforehand, as an author's tooling would)."""
    base = served.base
    operator: Pages = await open_pages("publish")
    page = operator.page
    await operator.sign_in(base, keys.admin)
    await operator.shot("overview")

    await page.get_by_role("link", name="Courses", exact=True).click()
    await page.get_by_role("link", name="New course").click()
    await operator.shot("new-course-form")
    await page.get_by_label("Title", exact=True).fill(COURSE_TITLE)
    await page.get_by_label("Language", exact=True).select_option("de")
    await page.get_by_label("employees", exact=True).check()
    await page.get_by_label("Template", exact=True).select_option("banking_alternatives")
    await page.get_by_label("Lessons written in full", exact=True).fill("2")
    await page.get_by_role("button", name="Start generation").click()
    await expect(page.locator(".flash")).to_have_text("Generation requested.")
    await expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    course_url = page.url
    await operator.shot("course-generating")

    # The page follows the generation over SSE and reloads once it has finished.
    await expect(page.locator('[data-field="status"]')).to_have_text(
        "completed", timeout=GENERATION_SECONDS * 1000
    )
    await expect(page.locator('[data-field="percent"]')).to_have_text("100")
    assert await page.locator("progress").get_attribute("value") == "100"
    await expect(page.locator("main")).to_contain_text("course.generation.completed")
    await operator.shot("course-completed")

    await page.locator("#h-outline ~ .outline-module a").first.click()
    await expect(page.get_by_role("heading", level=2, name="Edit the lesson")).to_be_visible()
    editor = page.get_by_label("Markdown", exact=True)
    await editor.fill((await editor.input_value()) + "\n\n## Aus der Praxis\n\nEin **Beispiel**.\n")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_text("Preview: not saved yet.")).to_be_visible()
    await expect(page.locator(".card .prose strong", has_text="Beispiel")).to_be_visible()
    await operator.shot("lesson-preview")
    await page.get_by_role("button", name="Save").click()
    await expect(page.locator(".flash")).to_have_text(re.compile(r"Lesson saved as revision 2\."))
    await operator.shot("lesson-saved")

    await page.goto(course_url)
    await page.get_by_role("button", name="Request approval for PUBLISH_READY").click()
    await expect(page.locator(".flash")).to_have_text(
        "Approval requested: another approver decides."
    )
    await expect(page.get_by_text("You asked for this; another approver decides.")).to_be_visible()
    await operator.shot("approval-requested")

    approver: Pages = await open_pages("approve")
    await approver.sign_in(base, keys.approver)
    await approver.page.get_by_role("link", name="Approvals").click()
    await expect(approver.page.get_by_role("heading", name=COURSE_TITLE)).to_be_visible()
    await approver.shot("approvals-inbox")
    await approver.page.locator("form[action$='/approve'] input[name=comment]").fill("Passt.")
    await approver.page.get_by_role("button", name="Approve").click()
    await expect(approver.page.locator(".flash")).to_have_text(
        "Approved: the course is now PUBLISH_READY."
    )
    await approver.shot("approved")

    await page.goto(course_url)
    await page.get_by_role("button", name="Move to PUBLISHED").click()
    await expect(page.locator(".flash")).to_have_text("The course is now PUBLISHED.")
    await operator.shot("course-published")

    # Publishing the course publishes its distribution through the event stream.
    distribution = page.locator("#h-distributions ~ ul a").first
    await distribution.click()
    distribution_url = page.url
    for _ in range(60):
        if await page.locator("#public-page-link").count():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(page.locator("main")).to_contain_text("PUBLIC")
    await operator.shot("distribution")
    await page.locator("#public-page-link").click()
    await expect(page).to_have_url(re.compile(r"/courses/alternativen-zur-hausbank"))
    await expect(page.get_by_role("heading", level=1)).to_contain_text(COURSE_TITLE)
    public_url = page.url
    await operator.shot("public-page")

    await upload_example(served, keys)
    await page.goto(course_url)
    await page.locator("#course-content-link").click()
    exercise = page.locator("tr", has_text="module_01.exercise")
    await exercise.get_by_role("button", name="Assign an example version").click()
    await expect(page.locator(".flash")).to_have_text(
        "python.fizzbuzz v1 assigned; release it to deploy it."
    )
    await expect(page.locator("tr", has_text="module_01.exercise")).to_contain_text("pending")
    await operator.shot("content-assigned")
    await page.get_by_role("button", name="Release the pending assignments").click()
    await expect(page.locator(".flash")).to_have_text("Release started.")
    await operator.shot("release-running")
    # The release page refreshes itself (a `Refresh` header, no script) until the release ends.
    await expect(page.locator("#release-status")).to_have_text(
        "completed", timeout=GENERATION_SECONDS * 1000
    )
    await expect(page.locator("main")).to_contain_text("module_01.exercise")
    await operator.shot("release-completed")
    await page.get_by_role("link", name="Content and releases").last.click()
    await expect(page.locator("tr", has_text="module_01.exercise")).to_contain_text("deployed")
    await expect(page.locator("main")).to_contain_text("fizzbuzz.py")
    await operator.shot("content-deployed")

    await page.goto(distribution_url)
    await page.locator("#price-amount").fill("29.00")
    await page.locator("#price-currency").fill("EUR")
    await page.get_by_role("button", name="Save SEO, call to action and price").click()
    await expect(page.locator(".flash")).to_have_text("Distribution saved.")
    await operator.shot("distribution-priced")

    buyer: Pages = await open_pages("buyer")
    shop = buyer.page
    await shop.goto(public_url)
    checkout = shop.locator("form[action$='/checkout']")
    await checkout.locator("input[name=email]").fill(BUYER)
    await buyer.shot("course-page-priced")
    await checkout.locator("button[type=submit]").click()
    await shop.get_by_role("button", name="Pay 29.00 EUR").click()
    await expect(shop.locator("a.cta")).to_be_visible()
    await buyer.shot("bought")

    await page.get_by_role("link", name="Payments", exact=True).click()
    await expect(page.locator("main")).to_contain_text("29.00")
    assert BUYER not in await page.content(), "the buyer's address stays in payments"
    await operator.shot("payments")
    await page.locator("tbody tr a").first.click()
    await expect(page.locator("main")).to_contain_text("paid")
    await operator.shot("payment")
    await page.get_by_role("button", name="Refund").click()
    await expect(page.locator(".flash")).to_have_text("Refund requested; the provider confirms it.")
    for _ in range(60):
        if "refunded" in await page.locator("h1").inner_text():
            break
        await page.wait_for_timeout(500)
        await page.reload()
    await expect(page.locator("h1")).to_contain_text("refunded")
    await expect(page.get_by_role("button", name="Refund")).to_have_count(0)
    await operator.shot("refunded")
    assert operator.refused == [] and approver.refused == [] and buyer.refused == []


async def upload_example(served: Served, keys: Keys) -> None:
    """An exercise package (instructions, learner files, tests, solution) as a version v1."""
    auth = {"Authorization": f"Bearer {keys.admin}"}
    async with httpx.AsyncClient(base_url=served.base, headers=auth) as http:
        made = await http.post(
            "/api/examples", json={"identifier": "python.fizzbuzz", "title": "FizzBuzz"}
        )
        assert made.status_code == 201, made.text
        uploaded = await http.post(
            f"/api/examples/{made.json()['id']}/versions",
            files={"file": ("package.zip", zip_of(package_files()), "application/zip")},
            data={"version_tag": "v1"},
        )
        assert uploaded.status_code == 201, uploaded.text


async def test_a_form_sent_without_its_csrf_token_is_refused_and_changes_nothing(
    served: Served, keys: Keys, open_pages: OpenPages
) -> None:
    admin: Pages = await open_pages("csrf")
    page = admin.page
    await admin.sign_in(served.base, keys.admin)
    await page.goto(f"{served.base}/admin/keys")
    rows = await page.locator("tbody tr").count()
    await admin.shot("keys")
    form = page.locator("form[action='/admin/keys']")
    await form.locator("input[name=csrf_token]").evaluate("field => field.remove()")
    await page.get_by_label("Role", exact=True).select_option("admin")
    await page.get_by_role("button", name="Create a key").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    await expect(page.locator("main")).to_contain_text("This form has expired")
    await admin.shot("refused")
    await page.goto(f"{served.base}/admin/keys")
    assert await page.locator("tbody tr").count() == rows


async def any_course(http: httpx.AsyncClient, served: Served, keys: Keys) -> tuple[str, str]:
    """A course of the demo tenant (the publishing scenario's, or a new dry run) and its state."""
    auth = {"Authorization": f"Bearer {keys.admin}"}
    courses = (await http.get(f"{served.base}/api/courses", headers=auth)).json()["items"]
    if not courses:
        made = await http.post(
            f"{served.base}/api/courses/generate",
            json={
                "title": "Dry run",
                "language": "en",
                "target_audiences": ["students"],
                "dry_run": True,
            },
            headers=auth,
        )
        assert made.status_code == 202, made.text
        courses = (await http.get(f"{served.base}/api/courses", headers=auth)).json()["items"]
    return str(courses[0]["id"]), str(courses[0]["workflow_state"])


async def test_a_viewer_sees_no_write_control_and_a_forged_write_answers_403(
    served: Served, keys: Keys, open_pages: OpenPages
) -> None:
    viewer: Pages = await open_pages("viewer")
    page = viewer.page
    await viewer.sign_in(served.base, keys.viewer)
    async with httpx.AsyncClient() as http:
        course_id, state = await any_course(http, served, keys)
    for path, name in (
        ("/admin", "overview"),
        (f"/admin/courses/{course_id}", "course"),
        ("/admin/approvals?status=approved", "approvals"),
        ("/admin/distributions", "distributions"),
        (f"/admin/content?course_id={course_id}", "content"),
        ("/admin/payments", "payments"),
    ):
        await page.goto(served.base + path)
        await viewer.shot(name)
        actions = await page.locator("form[method=post]").evaluate_all(
            "forms => forms.map(form => form.getAttribute('action'))"
        )
        assert actions == ["/admin/logout"], path
    token = await page.locator("form[action='/admin/logout'] input[name=csrf_token]").input_value()
    forged = await viewer.context.request.post(
        f"{served.base}/admin/courses/{course_id}/transitions",
        form={"csrf_token": token, "to_state": "ARCHIVED"},
        max_redirects=0,
    )
    assert forged.status == 403
    assert "may not do this" in await forged.text()
    async with httpx.AsyncClient() as http:
        answer = await http.get(
            f"{served.base}/api/courses/{course_id}",
            headers={"Authorization": f"Bearer {keys.viewer}"},
        )
    course = answer.json()
    assert course["workflow_state"] == state


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1440, 900)])
async def test_the_overview_fits_the_screen_without_horizontal_scrolling(
    served: Served, keys: Keys, open_pages: OpenPages, width: int, height: int
) -> None:
    visitor: Pages = await open_pages(
        f"overview-{width}", viewport={"width": width, "height": height}
    )
    page = visitor.page
    async with httpx.AsyncClient() as http:
        await any_course(http, served, keys)
    await visitor.sign_in(served.base, keys.admin)
    for path in ("/admin", "/admin/courses", "/admin/events"):
        await page.goto(served.base + path)
        await visitor.shot(path.strip("/").replace("/", "-") or "overview")
        scroll, inner = await page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll <= inner, f"{path} scrolls sideways at {width} px ({scroll} > {inner})"
    shown, utc = await page.locator("time").first.evaluate("t => [t.textContent, t.title]")
    assert utc.endswith(" UTC") and "UTC" not in shown, "times are shown in the browser's zone"
    await page.keyboard.press("Tab")
    focused = await page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content", "the first Tab reaches the skip link"
    assert visitor.refused == []
