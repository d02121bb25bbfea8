"""A person's path through the pages, in headless Chromium (Debian's `chromium`, driven by Playwright; no browser
download): search, an agent page, a study page, a stored query run from its form; no console errors.
The static site's search, which runs in the browser, is driven the same way."""
from __future__ import annotations

import os
import shutil

import pytest

pytestmark = pytest.mark.slow


def chromium_path() -> str:
    found = os.environ.get("BALLKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("headless Chromium is needed: BALLKG_SETUP=test bash scripts/setup.sh installs Debian's 'chromium'")
    return found


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.problems = []  # console errors and uncaught exceptions, checked by each test
    pg.on("console", lambda msg: pg.problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    yield pg
    context.close()


def test_search_agent_study_and_a_stored_query_in_a_browser(site, page):
    page.goto(site + "/")
    assert page.title() == "ballkg · ballkg" or page.title().endswith("· ballkg")
    page.get_by_label("Search labels and synonyms").fill("inotuzumab")
    page.locator("main form[role=search] button").click()
    page.wait_for_url("**/search?q=inotuzumab")
    first = page.locator("#hits li a").first
    assert first.inner_text() == "inotuzumab ozogamicin"
    first.click()
    page.wait_for_url("**/data/inotuzumab-ozogamicin")
    assert page.locator("h1").inner_text() == "inotuzumab ozogamicin"
    facts = page.locator("#facts + dl").inner_text()
    assert "calicheamicin" in facts and "CD22" in facts
    table = page.locator("#studies ~ .scroll table").first
    ino_row = table.locator("tr", has_text="inotuzumab phase III, inotuzumab arm: CR rate")
    assert "80.7%" in ino_row.inner_text() and "p < 0.001" in ino_row.inner_text()
    control_row = table.locator("tr", has_text="(concurrent control arm)").filter(has_text="standard-therapy arm: CR rate")
    assert "29.4%" in control_row.inner_text()
    assert page.locator("svg.chart title").first.text_content().startswith("Response rates reported for inotuzumab")

    table.get_by_role("link", name="global open-label randomized phase III trial of inotuzumab ozogamicin vs "
                                    "standard intensive chemotherapy in R/R ALL").click()
    page.wait_for_url("**/data/study-ino-phase3")
    assert page.locator("tr.discrepant").count() == 2
    assert "inotuzumab 0.8-0.5 mg/m2 weekly" in page.locator("#arms + .scroll table").inner_text()

    page.goto(site + "/queries/")
    page.get_by_role("link", name="What toxicities does a given agent cause").click()
    field = page.get_by_label("agent")
    field.fill("inotuzumab-ozogamicin")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/queries/toxicities-of-an-agent?agent=inotuzumab-ozogamicin*")
    answer = page.locator("#answer + .scroll table").inner_text()
    assert "single-dose inotuzumab phase II: severe liver function test abnormalities" in answer
    assert "blinatumomab" not in answer
    assert page.problems == []


def test_the_static_site_search_runs_in_the_browser(release, tmp_path, page):
    from ballkg.cli import main

    out = tmp_path / "site"
    assert main(["export", "--format", "html", "-o", str(out), "--release", str(release)]) == 0
    page.goto((out / "index.html").as_uri())
    page.get_by_label("Search labels and synonyms").fill("inotuzumab")
    page.locator("main form[role=search] button").click()
    page.wait_for_selector("#hits li a")
    page.locator("#hits li a").first.click()
    assert page.url.endswith("/data/inotuzumab-ozogamicin.html")
    assert "calicheamicin" in page.locator("#facts + dl").inner_text()
    assert page.problems == []
