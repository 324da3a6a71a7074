"""Production settings: check --deploy is clean, CSP on the pages, DEBUG never on a public host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"DEBUG": "0", "ALLOWED_HOSTS": "disputes.example.com",
              "SECRET_KEY": "x" * 20 + "production-like-key-0123456789abcdefghijklmnop"}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # (Playwright's tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.)
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                          timeout=120)


def test_production_settings_pass_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_with_redis_pass_check_deploy_too():
    result = manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL="redis://127.0.0.1:6379/0",
                    **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_cannot_be_on_with_a_public_host():
    result = manage("check", **{**PRODUCTION, "DEBUG": "1"})

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_pages_send_a_content_security_policy_that_allows_only_the_app_itself(db, agent):
    client = Client()
    client.force_login(agent)

    policy = client.get("/")["Content-Security-Policy"]

    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("page", ["/", "/accounts/login/"])
def test_no_page_has_inline_scripts_the_policy_would_block(db, agent, page):
    client = Client()
    client.force_login(agent)

    html = client.get(page).content.decode()

    assert "<script>" not in html and " onclick=" not in html
