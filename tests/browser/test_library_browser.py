"""The library in a real browser: keyboard shortcuts, saving and upvoting
without a reload, following an author, "For you" and "Not interested",
with screenshots (artifacts/browser)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, verified_member

pytestmark = pytest.mark.browser

DAY = "2025-10-08"


def test_shortcuts_save_upvote_and_open(page, live_site, screenshot):
    verified_member("ada")
    sign_in(page, live_site, "ada")
    page.goto(f"{live_site}/papers/date/{DAY}")
    expect(page.locator(".shortcuts summary")).to_have_text("Keyboard shortcuts")
    cards = page.locator("article.card")
    page.keyboard.press("j")
    expect(cards.nth(0)).to_have_class(re.compile("card-current"))
    page.keyboard.press("s")
    expect(cards.nth(0).locator(".save-button")).to_have_text("Saved")
    page.keyboard.press("j")
    expect(cards.nth(1)).to_have_class(re.compile("card-current"))
    before = int(cards.nth(1).locator(".upvote-count").inner_text())
    page.keyboard.press("v")
    expect(cards.nth(1).locator(".upvote-count")).to_have_text(str(before + 1))
    expect(page).to_have_url(re.compile(rf"/papers/date/{DAY}$"))  # no reload, no navigation
    screenshot(page, "saved-and-upvoted")
    page.keyboard.press("k")
    expect(cards.nth(0)).to_have_class(re.compile("card-current"))
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/papers/2510\.06217$"))
    page.goto(f"{live_site}/library")
    expect(page.locator("article.card")).to_have_count(1)
    expect(page.locator("article.card").first).to_contain_text("TaTToo")


def test_follow_an_author_then_for_you_and_not_interested(page, live_site, settings, screenshot):
    from dailypapers.library import services
    from dailypapers.papers.models import Paper
    from dailypapers.search import services as search_services

    settings.FOR_YOU_DAYS = 1000  # the test data is older than a month
    search_services.index_if_needed()
    ada = verified_member("ada")
    sign_in(page, live_site, "ada")
    page.goto(f"{live_site}/papers/date/{DAY}")
    author = page.locator("article.card .authors a").first
    name = author.inner_text()
    author.click()
    expect(page.locator("h1")).to_have_text(name)
    page.locator(".follow-button").click()
    expect(page.locator(".follow-button")).to_have_text("Following")
    screenshot(page, "author-followed")
    coda = Paper.objects.get(arxiv_id="2510.03270")  # another paper of the day
    services.entry_set(user=ada, paper_id=coda.pk, saved=True)
    services.tastes_retrain()
    page.goto(f"{live_site}/for-you")
    first = page.locator("ol.cards > li").first
    expect(first.locator(".card-reason")).to_have_text(f"You follow {name}")
    expect(page.locator(".card-reason", has_text="Because you liked").first).to_be_visible()
    screenshot(page, "for-you", full_page=True)
    title = first.locator(".card-title").inner_text()
    first.locator(".dismiss-button").click()
    expect(page.locator("li.dismissed").first).to_contain_text("fewer papers like this")
    screenshot(page, "not-interested")
    page.reload()
    expect(page.locator(".card-title", has_text=title)).to_have_count(0)
