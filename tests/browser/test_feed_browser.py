"""The feed in a real browser: reading, moving between days, expanding, opening a paper."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_open_the_feed(page, live_site, screenshot):
    page.goto(live_site + "/papers/")
    expect(page.locator("h1")).to_have_text("Daily Papers")
    expect(page.locator(".period-label")).to_have_text("Thursday, April 16, 2026")
    assert page.locator("article.card").count() > 5
    expect(page.locator("article.card .badge-new").first).to_be_visible()
    screenshot(page, "feed", full_page=True)


def test_move_between_days(page, live_site, screenshot):
    page.goto(live_site + "/papers/date/2025-10-09")
    page.locator("a.next").click()
    expect(page).to_have_url(re.compile(r"/papers/date/2025-10-10$"))
    page.locator("a.prev").click()
    expect(page).to_have_url(re.compile(r"/papers/date/2025-10-09$"))
    page.locator("a.prev").click()
    expect(page).to_have_url(re.compile(r"/papers/date/2025-10-08$"))
    expect(page.locator("article.card").first).to_contain_text("TaTToo")
    # The date picker jumps to a day.
    page.fill("#date-input", "2024-12-11")
    page.locator(".date-picker button").click()
    expect(page).to_have_url(re.compile(r"/papers/date/2024-12-11$"))
    # Week and month views.
    page.locator(".period-tabs a", has_text="Weekly").click()
    expect(page).to_have_url(re.compile(r"/papers/week/2024-W50$"))
    page.locator(".period-tabs a", has_text="Monthly").click()
    expect(page).to_have_url(re.compile(r"/papers/month/2024-12$"))
    expect(page.locator(".month-calendar")).to_be_visible()
    screenshot(page, "month", full_page=True)


def test_expand_an_abstract_in_place(page, live_site, screenshot):
    page.goto(live_site + "/papers/date/2025-10-08")
    card = page.locator("article.card").first
    full = card.locator(".abstract .full")
    expect(full).to_be_hidden()
    expect(card.locator(".excerpt")).to_be_visible()
    card.locator(".abstract summary").click()
    expect(full).to_be_visible()
    expect(full).to_contain_text("generalizability across diverse TTS strategies.")
    expect(card.locator(".excerpt")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/papers/date/2025-10-08$"))  # in place, no navigation
    screenshot(page, "expanded")


def test_open_a_paper_page(page, live_site, screenshot):
    page.goto(live_site + "/papers/date/2025-10-08")
    page.locator("article.card .card-title a").first.click()
    expect(page).to_have_url(re.compile(r"/papers/2510\.06217$"))
    expect(page.locator("h1")).to_contain_text("TaTToo")
    expect(page.locator(".author-list li")).to_have_count(9)
    expect(page.locator("a.link-pdf")).to_have_attribute("href", "https://arxiv.org/pdf/2510.06217")
    screenshot(page, "paper", full_page=True)


def test_dark_theme_follows_the_system_and_the_toggle(browser, live_site, screenshot):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_site + "/papers/date/2025-10-08")
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    screenshot(page, "dark")
    page.locator("[data-theme-toggle]").click()
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg == "rgb(11, 15, 23)" and light_bg == "rgb(255, 255, 255)"
    page.reload()  # the choice is remembered
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == light_bg
    context.close()


def test_phone_layout(browser, live_site, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(live_site + "/papers/date/2025-10-08")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    screenshot(page, "phone", full_page=True)
    context.close()


def test_not_found_page(browser, live_site):
    page = browser.new_page()  # the 404 itself is logged as a console error
    response = page.goto(live_site + "/papers/date/2025-13-45")
    assert response.status == 404
    expect(page.locator(".error-message")).to_contain_text("is not a date on the calendar")
    page.close()


# Cards whose whole box is on the first screen, as a reader sees it before scrolling.
CARDS_ON_SCREEN = """() => [...document.querySelectorAll('article.card')].filter(card => {
  const box = card.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}).length"""


@pytest.mark.parametrize(
    "device",
    [
        {"viewport": {"width": 1280, "height": 900}},
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
    ],
    ids=["desktop", "phone"],
)
def test_compact_cards_and_a_remembered_density_switch(browser, live_site, screenshot, device):
    context = browser.new_context(**device)
    page = context.new_page()
    page.goto(live_site + "/papers/date/2025-10-08")
    switch = page.locator("[data-density-switch]")
    expect(switch).to_be_visible()
    expect(switch.locator("[data-density-choice=compact]")).to_have_attribute(
        "aria-pressed", "true"
    )
    compact = page.evaluate(CARDS_ON_SCREEN)
    # Compact is the default: the title, byline, first line of the abstract, links.
    card = page.locator("article.card").first
    expect(card.locator(".excerpt")).to_be_visible()
    assert card.locator(".excerpt").evaluate("e => e.getClientRects().length") == 1
    screenshot(page, "compact")

    switch.locator("[data-density-choice=comfortable]").click()
    comfortable = page.evaluate(CARDS_ON_SCREEN)
    screenshot(page, "comfortable")
    page.reload()  # remembered in this browser
    expect(switch.locator("[data-density-choice=comfortable]")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate(CARDS_ON_SCREEN) == comfortable
    # Comfortable was the only layout before: 3 cards on a desktop screen, 1 on a phone.
    minimum = 8 if device["viewport"]["width"] > 600 else 3
    assert compact >= minimum > comfortable, (compact, comfortable)
    # Expanding a compact card's abstract still works in place.
    switch.locator("[data-density-choice=compact]").click()
    card.locator(".abstract summary").click()
    expect(card.locator(".abstract .full")).to_be_visible()
    page.emulate_media(color_scheme="dark")
    screenshot(page, "compact-dark")
    assert page.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]
    context.close()
