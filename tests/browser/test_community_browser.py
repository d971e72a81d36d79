"""The community path in a real browser: sign up, confirm the email sent over real
SMTP, upvote, comment in Markdown, submit a paper, sign out."""

from __future__ import annotations

import email.message
import re

import pytest
from playwright.sync_api import expect

from tests.smtp_sink import SinkServer, SmtpSink

pytestmark = pytest.mark.browser

USERNAME = "grace"
EMAIL = "grace@example.org"
PASSWORD = "Compiler-Nanoseconds-1906"
PAPER = "2510.06217"  # TaTToo, the first card of 2025-10-08 in the test data
CONFIRM_PATH = re.compile(r"/accounts/confirm-email/[^/\s\"'<>]+/")


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback, and the site sending its mail to it."""
    with SinkServer(SmtpSink()) as server:
        server.django_settings(settings)
        yield server.sink


def _message_text(message: email.message.EmailMessage) -> str:
    parts = [message] if not message.is_multipart() else list(message.walk())
    return "\n".join(part.get_content() for part in parts if part.get_content_maintype() == "text")


def _count(locator) -> int:
    return int(re.search(r"\d+", locator.inner_text()).group())


def test_sign_up_confirm_vote_comment_submit_sign_out(
    page, live_site, smtp_inbox, settings, screenshot
):
    from django.utils import timezone

    def shot(name: str, **kwargs):
        # caret="initial": Playwright's default hides the caret by setting an inline
        # style on every input and textarea, leaving them with style="" afterwards;
        # htmx then copies that attribute onto the swapped-in comment box, which the
        # CSP (style-src 'self') reports as an error. The site is not at fault.
        return screenshot(page, name, caret="initial", **kwargs)

    # Every paper in the test data is older than the default 14 days.
    settings.SUBMISSION_MAX_AGE_DAYS = 100_000

    # Sign up.
    page.goto(live_site + "/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shot("signup")
    page.locator("form button[type=submit]", has_text="Sign Up").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.locator(".account-nav")).to_contain_text("Sign in")  # not signed in yet

    # The verification email, received by the SMTP server.
    (message,) = smtp_inbox.wait(1)
    assert message["To"] == EMAIL
    assert message["Subject"].startswith("[Daily Papers] ")
    link = CONFIRM_PATH.search(_message_text(message))
    assert link, f"no confirmation link in the email:\n{_message_text(message)}"

    # Confirm it (a button: a GET alone confirms nothing); this signs the user in.
    page.goto(live_site + link.group())
    expect(page.locator("main")).to_contain_text(EMAIL)
    shot("confirm")
    page.locator("main form button[type=submit]", has_text="Confirm").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/confirm-email/"))
    me = page.locator(".account-nav a.me")
    if not me.is_visible():  # not signed in by the confirmation: sign in
        page.goto(live_site + "/accounts/login/")
        page.fill("input[name=login]", USERNAME)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
    expect(me).to_have_text(USERNAME)
    expect(page.locator(".account-nav")).not_to_contain_text("Sign in")

    # Open a paper from the feed.
    page.goto(live_site + "/papers/date/2025-10-08")
    page.locator("article.card .card-title a").first.click()
    expect(page).to_have_url(re.compile(rf"/papers/{re.escape(PAPER)}$"))

    # Upvote in place: htmx swaps the form, the page is not reloaded.
    # The paper's own vote button (the page lists related papers with theirs).
    button = page.locator(".paper-head .paper-stats form.vote-form button.vote-button")
    expect(button).to_have_count(1)
    expect(button).to_have_attribute("aria-pressed", "false")
    before = _count(button.locator(".upvote-count"))
    page.evaluate("window.__marker = 1")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".upvote-count")).to_have_text(str(before + 1))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot("upvoted")

    # A comment in Markdown, rendered.
    heading = page.locator("#comments-h")
    comments_before = _count(heading)
    page.fill("#comment-body", "**Bold** claim with `code`")
    page.locator(".comment-form button").click()
    body = page.locator(".comment-body").last
    expect(body.locator("strong")).to_have_text("Bold")
    expect(body.locator("code")).to_have_text("code")
    expect(heading).to_have_text(re.compile(rf"^{comments_before + 1} comments?$"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot("commented", full_page=True)
    # Both survive a reload.
    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".upvote-count")).to_have_text(str(before + 1))
    expect(page.locator(".comment-body strong")).to_have_text("Bold")

    # Submit the paper to today's feed.
    page.locator(".site-nav a", has_text="Submit").click()
    expect(page).to_have_url(re.compile(r"/submit$"))
    page.fill("#reference", PAPER)
    shot("submit")
    page.locator(".submit-form button[type=submit]").click()
    today = timezone.localdate().isoformat()
    expect(page).to_have_url(re.compile(rf"/papers/date/{today}$"))
    card = page.locator(f'article.card[data-paper="{PAPER}"]')
    expect(card).to_be_visible()
    expect(card.locator(".submitter")).to_have_text(f"Submitted by {USERNAME}")
    expect(card.locator(".vote-button")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".upvote-count")).to_have_text(str(before + 1))
    expect(card.locator(".comment-count")).to_have_text(str(comments_before + 1))
    expect(page.locator(".messages")).to_contain_text("is on today’s papers")
    shot("submitted", full_page=True)

    # Sign out.
    page.locator(".account-nav button", has_text="Sign out").click()
    expect(page.locator(".account-nav")).to_contain_text("Sign in")
    expect(page.locator(".account-nav a.me")).to_have_count(0)
    shot("signed-out")
