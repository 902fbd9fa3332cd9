"""Production settings and the security headers every response carries."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from handbook.models import CaseStudyPage

from .sample_site import PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "exchange.example.org",
    "DATABASE_URL": "sqlite:////tmp/sse-deploy-check.sqlite3",
}


def manage(*args, env):
    # A server's environment: none of the test session's own variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE for their thread, which no deployment has).
    test_only = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = manage("check", "--deploy", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_a_missing_secret_stops_start_up_with_a_clear_line(missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    message = f"{missing} must be set in the environment for production settings."
    assert last_line == f"django.core.exceptions.ImproperlyConfigured: {message}"


def public_urls():
    practice = CaseStudyPage.objects.live().filter(locale__language_code="en").first()
    return ["/en/", "/ar/", practice.url, "/en/practices/?pillar=II", "/en/search/?q=dialogue", "/en/no-such-page/"]


@pytest.mark.django_db
def test_public_responses_carry_a_strict_nonce_based_policy_and_the_security_headers(client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"].startswith("'self'"), policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_nonce_is_fresh_per_request_and_only_nonce_scripts_run(rf):
    from django.http import HttpResponse
    from django.template import engines

    from accounts.security import SiteCSPMiddleware

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">1</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    middleware = SiteCSPMiddleware(view)
    nonces = []
    for _ in range(2):
        response = middleware(rf.get("/en/"))
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
def test_the_admin_enforces_a_looser_policy_and_reports_against_the_strict_one(client, users):
    client.force_login(users["editor"])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    enforced = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in enforced and "object-src 'none'" in enforced
    report_only = response["Content-Security-Policy-Report-Only"]
    assert "script-src 'self'" in report_only and "unsafe-inline" not in report_only


def production_security_settings(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
    ]
    return {name: getattr(production, name) for name in names}


@pytest.mark.django_db
def test_production_sends_hsts_redirects_to_https_and_sets_secure_httponly_cookies(client, monkeypatch):
    with override_settings(**production_security_settings(monkeypatch)):
        plain = client.get("/en/")
        assert plain.status_code == 301 and plain["Location"] == "https://testserver/en/"
        # ... except the health probes a load balancer sends over plain HTTP inside the network.
        assert client.get("/health/ready/").status_code == 200

        secure = client.get("/en/", secure=True)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"

        login = client.get(reverse("wagtailadmin_login"), secure=True)
        csrf = login.cookies["csrftoken"]
        assert csrf["secure"] and csrf["httponly"]
        response = client.post(
            reverse("wagtailadmin_login"),
            {"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
            secure=True,
        )
        assert response.status_code == 302
        session = response.cookies["sessionid"]
        assert session["secure"] and session["httponly"]
        assert session["samesite"] == "Lax"
