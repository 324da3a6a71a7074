"""Every door that takes a password is limited per username at an address and per address."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from config.login_limits import UserAndAddressHandler
from tests.factories import UserFactory

DOORS = ["/accounts/login/", "/admin/login/", "/api-auth/login/"]
HOME = "203.0.113.9"
ELSEWHERE = "198.51.100.7"


def log_in(door: str, username: str, password: str, address: str = HOME, client: Client | None = None,
           **headers):
    return (client or Client()).post(door, {"username": username, "password": password},
                                     REMOTE_ADDR=address, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def staff(shop):
    return UserFactory(username="lead", password="right-password", role="supervisor", shops=[shop],
                       is_staff=True)


@pytest.mark.parametrize("door", DOORS)
def test_ten_wrong_passwords_lock_the_username_at_that_address_even_for_the_right_one(db, staff, door):
    answers = [log_in(door, "lead", "wrong") for _ in range(10)]
    then = log_in(door, "lead", "right-password")

    assert [a.status_code for a in answers[:9]] == [200] * 9
    assert answers[9].status_code == 429
    assert then.status_code == 429
    assert not logged_in(then)
    assert then["Retry-After"] == str(15 * 60)
    assert "Wait 15 minutes" in then.content.decode()


def test_the_locked_page_keeps_the_username_and_speaks_the_users_language(db, staff):
    for _ in range(10):
        log_in("/accounts/login/", "lead", "wrong")

    answer = log_in("/accounts/login/", "lead", "wrong", HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = answer.content.decode()
    assert answer.status_code == 429
    assert 'value="lead"' in page
    assert "登录失败次数过多" in page


def test_a_stranger_elsewhere_cannot_lock_a_user_out(db, staff):
    for _ in range(25):
        log_in("/accounts/login/", "lead", "wrong", address=ELSEWHERE)

    assert logged_in(log_in("/accounts/login/", "lead", "right-password", address=HOME))


def test_one_address_cannot_try_many_users(db, settings, shop):
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    users = [UserFactory(username=f"agent{n}", password="right-password", shops=[shop]) for n in range(6)]
    for user in users[:5]:
        assert log_in("/accounts/login/", user.username, "wrong").status_code in {200, 429}

    from_there = log_in("/accounts/login/", users[5].username, "right-password")
    from_elsewhere = log_in("/accounts/login/", users[5].username, "right-password", address=ELSEWHERE)

    assert from_there.status_code == 429
    assert logged_in(from_elsewhere)


def test_the_lock_ends_when_the_cool_off_has_passed(db, staff):
    for _ in range(10):
        log_in("/accounts/login/", "lead", "wrong")

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert logged_in(log_in("/accounts/login/", "lead", "right-password"))


def test_a_right_password_before_the_limit_logs_in(db, staff):
    for _ in range(9):
        log_in("/accounts/login/", "lead", "wrong")

    assert logged_in(log_in("/accounts/login/", "lead", "right-password"))


def test_the_log_in_form_itself_is_not_limited(db):
    client = Client()

    assert all(client.get("/accounts/login/").status_code == 200 for _ in range(40))


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(db, settings, staff):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.2"
    for _ in range(10):
        # The attacker writes its own X-Forwarded-For; the proxy appends the address it saw.
        log_in("/accounts/login/", "lead", "wrong", address=proxy,
               HTTP_X_FORWARDED_FOR=f"{HOME}, {ELSEWHERE}")

    attacker = log_in("/accounts/login/", "lead", "right-password", address=proxy,
                      HTTP_X_FORWARDED_FOR=f"{HOME}, {ELSEWHERE}")
    user = log_in("/accounts/login/", "lead", "right-password", address=proxy,
                  HTTP_X_FORWARDED_FOR=HOME)

    assert attacker.status_code == 429
    assert logged_in(user)


def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(db, settings, staff):
    assert settings.TRUSTED_PROXY_HOPS == 0
    for n in range(10):
        log_in("/accounts/login/", "lead", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert log_in("/accounts/login/", "lead", "right-password",
                  HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_axes_gives_the_attempts_of_the_user_at_the_address_then_of_the_address(db, rf):
    # The handler relies on this order (AXES_LOCKOUT_PARAMETERS); an upgrade that changes it fails here.
    request = rf.post("/accounts/login/", REMOTE_ADDR=HOME)
    request.axes_ip_address, request.axes_user_agent = HOME, "test"
    request.axes_attempt_time = timezone.now()

    by_user_here, by_address = UserAndAddressHandler().get_user_attempts(request, {"username": "lead"})

    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert "username" in str(by_user_here.query) and "ip_address" in str(by_user_here.query)
    assert "username" not in str(by_address.query).split("WHERE", 1)[1]
