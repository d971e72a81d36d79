"""What a reader sees of comment counts, pins, categories, their digest and the
account pages, on a desktop, a phone and in the dark theme, with screenshots
(artifacts/browser) of each."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in, verified_member

pytestmark = pytest.mark.browser

DAY = "2025-10-08"
TATTOO = "2510.06217"  # first by upvotes that day; 2 comments held at Hugging Face
CODA = "2510.03270"  # a paper of the same day
LOOKS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True},
    "dark": {"viewport": {"width": 1280, "height": 900}, "color_scheme": "dark"},
}


@pytest.fixture(params=list(LOOKS))
def look(request, browser):
    context = browser.new_context(**LOOKS[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_comment_counts_pins_and_categories(look, live_site, screenshot):
    import datetime as dt

    from dailypapers.community.services import comment_create
    from dailypapers.community.submissions import listing_curate
    from dailypapers.papers.models import Paper

    ada = verified_member("ada")
    # A superuser curates here: the transactional test database has lost the
    # role groups its migration made.
    curator = verified_member("cura", superuser=True)
    tattoo = Paper.objects.get(arxiv_id=TATTOO)
    coda = Paper.objects.get(arxiv_id=CODA)
    comment_create(author=ada, paper_id=tattoo.pk, body="Which tables were used?")
    listing_curate(curator=curator, paper_id=coda.pk, day=dt.date.fromisoformat(DAY), action="pin")
    Paper.objects.filter(pk=tattoo.pk).update(categories="cs.AI cs.LG", primary_category="cs.AI")
    Paper.objects.filter(pk=coda.pk).update(categories="cs.CL", primary_category="cs.CL")

    page = look
    page.goto(f"{live_site}/papers/date/{DAY}")
    first = page.locator("article.card").first
    # Item 3: the pinned paper is first and says why.
    expect(first).to_have_attribute("data-paper", CODA)
    expect(first.locator(".badge-pinned")).to_be_visible()
    # Item 2: this site's comments, and the count held elsewhere as what it is.
    card = page.locator(f'article.card[data-paper="{TATTOO}"]')
    expect(card.locator(".comment-count")).to_have_text("1")
    expect(card.locator(".comments-elsewhere")).to_have_text("2 on Hugging Face")
    # Item 4: categories on the cards.
    expect(card.locator(".category").first).to_have_text("cs.AI")
    screenshot(page, "feed")

    page.goto(f"{live_site}/papers/{TATTOO}")
    expect(page.locator(".paper .category").first).to_have_text("cs.AI")
    expect(page.locator("#comments")).to_contain_text("1 comment")
    expect(page.locator(".paper-stats .comments-elsewhere")).to_have_text(
        "2 comments on Hugging Face"
    )
    expect(page.locator(".comment-body").first).to_contain_text("Which tables were used?")
    screenshot(page, "paper", full_page=True)


def test_a_members_one_digest(look, live_site, screenshot):
    verified_member("alice")
    page = look
    sign_in(page, live_site, "alice")
    page.goto(f"{live_site}/papers/date/{DAY}")
    page.fill("#subscribe-email", "alice-digest@example.org")
    page.locator(".subscribe-form button[type=submit]").click()
    expect(page.locator("#subscribe-result")).not_to_be_empty()
    page.locator("section.subscribe").scroll_into_view_if_needed()
    screenshot(page, "subscribed")

    page.goto(live_site + "/digest/settings")
    address = page.locator(".digest-address")
    expect(address).to_contain_text("alice-digest@example.org")
    expect(address).to_contain_text("waiting for you to confirm")
    # The checkbox sits inside its label.
    expect(page.locator("label", has=page.locator('input[name="active"]'))).to_contain_text(
        "Send me the digest"
    )
    screenshot(page, "settings", full_page=True)

    page.goto(live_site + "/digest/preview")
    expect(page.locator("main")).to_contain_text("alice-digest@example.org")
    expect(page.locator("main")).not_to_contain_text("Set up your digest first")
    screenshot(page, "preview")


def test_account_pages_and_the_admin(look, live_site, screenshot):
    page = look
    for name, path in (
        ("sign-in", "/accounts/login/"),
        ("sign-up", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
    ):
        page.goto(live_site + path)
        card = page.locator("main > .account-card")
        expect(card).to_be_visible()
        expect(card.locator("button.button-primary[type=submit]")).to_be_visible()
        screenshot(page, name)
    verified_member("root", superuser=True)
    sign_in(page, live_site, "root")
    page.goto(live_site + "/admin/")
    captions = page.locator("#content-main caption").all_inner_texts()
    assert [c.strip().upper() for c in captions].count("ACCOUNTS") == 1, captions
    assert "MEMBERS" in [c.strip().upper() for c in captions], captions
    screenshot(page, "admin", full_page=True)
