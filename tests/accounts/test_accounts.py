"""Accounts through django-allauth: verified sign-up, sign-in, reset, throttling, profiles."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from dailypapers.community import services

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase 7"


def signup(client, email="new@example.org", username="newbie"):
    return client.post(
        "/accounts/signup/",
        {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_needs_email_verification(client):
    response = signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newbie")
    assert user.password.startswith("argon2$")  # argon2 hashing
    (message,) = mail.outbox
    assert message.to == ["new@example.org"]
    # Unverified: signing in is refused until the link is followed.
    client.logout()
    login = client.post("/accounts/login/", {"login": "newbie", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert login.status_code == 302 and "confirm-email" in login["Location"]

    link = confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200  # GET shows a page, does not confirm
    assert client.post(link).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_by_username_or_email_and_out(client, member):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    for login in ("ada", "ada@example.org"):
        response = client.post("/accounts/login/", {"login": login, "password": "correct horse 42"})
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(member.pk)
        client.post("/accounts/logout/")
        assert "_auth_user_id" not in client.session


def test_password_reset_does_not_reveal_accounts(client, member):
    known = client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # allauth tells the unknown address that it has no account, by email only.
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "nobody@example.org"]


def test_signup_with_a_taken_email_does_not_reveal_it(client, member):
    response = signup(client, email="ada@example.org", username="another")
    assert response.status_code == 302  # the same answer as a new address
    assert mail.outbox and mail.outbox[-1].to == ["ada@example.org"]


def test_failed_logins_are_throttled(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/key"}
    codes = []
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
        codes.append(response.status_code)
    assert codes[-1] == 429 or "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while throttled.
    client.post("/accounts/login/", {"login": "ada", "password": "correct horse 42"})
    assert "_auth_user_id" not in client.session


def test_signup_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    codes = [signup(client, f"u{i}@example.org", f"user{i}").status_code for i in range(3)]
    assert codes[:2] == [302, 302] and codes[2] == 429


def test_profile_lists_submissions_and_upvotes(client, member, paper):
    services.vote_set(user=member, paper_id=paper.pk, up=True)
    body = client.get("/users/ada").content.decode()
    assert "Upvoted papers" in body and paper.title in body
    assert client.get("/users/nobody").status_code == 404


def test_a_superuser_made_by_the_command_signs_in_without_confirming_an_email(client, monkeypatch):
    from allauth.account.models import EmailAddress

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Compiler-Nanoseconds-1906")
    call_command(
        "createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org"
    )
    address = EmailAddress.objects.get(user__username="root")
    assert address.verified and address.primary
    response = client.post(
        "/accounts/login/", {"login": "root", "password": "Compiler-Nanoseconds-1906"}
    )
    assert response.status_code == 302 and "confirm-email" not in response["Location"]


def test_the_admin_shows_one_accounts_section(admin_client):
    soup = BeautifulSoup(admin_client.get("/admin/").content, "html.parser")
    sections = [c.get_text(strip=True) for c in soup.select("#content-main caption")]
    assert sections.count("Accounts") == 1 and "Members" in sections, sections


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_are_cards_like_the_sites_other_forms(client, url):
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    card = soup.select_one("main > .account-card")
    assert card is not None and card.select_one("h1")
    assert card.select_one("form.account-form button.button-primary[type=submit]")
