"""Hardening, in Chromium: hostile link values are shown as plain text (no link, no image, no
request leaves the page); the app runs from a read-only copy as another user; behind nginx the
map draws under the security headers and other sites cannot frame the page."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest
from playwright.sync_api import expect

from geo.view.state import View
from tests.e2e.conftest import require_chromium
from tests.e2e.test_dashboard import ALL_SHAPES, DRAWN, open_dashboard
from tools.harness import ROOT, start_server, stop
from tools.serve import NGINX, Deployment

pytestmark = pytest.mark.slow

PAYLOADS = {
    "markdown link": "[Session expired](https://evil.example/login)",
    "markdown image": "![x](https://evil.example/t.png)",
    "html": '<img src="https://evil.example/i.png"><a href="https://evil.example/a">x</a>',
    "huge": "9" * 5000,
    "non-ASCII digits": "\u00b2\u0661\u0669",
}
EVIL = ("() => [document, ...[...document.querySelectorAll('iframe')].map(f => {"
        " try { return f.contentDocument; } catch (e) { return null; } })].filter(Boolean)"
        ".flatMap(d => [...d.querySelectorAll('a[href*=evil], img[src*=evil]')]).length")


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_hostile_values_of_every_parameter_are_plain_text(page, server, kind):
    value = PAYLOADS[kind]
    params = {f.name: value for f in fields(View)} | {value[:300]: "1"}
    open_dashboard(page, f"{server}/?{urlencode(params)}")
    expect(page.get_by_text("; using the default.").first).to_be_visible()
    assert page.evaluate(EVIL) == 0  # no link, no image from the link, in any frame
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stText"]').count() >= len(fields(View))
    longest = page.evaluate("() => Math.max(...[...document.querySelectorAll("
                            "'[data-testid=\"stText\"]')].map(e => e.textContent.length))")
    assert longest <= 300
    assert page.external_requests == [] and page.errors == []


def _read_only_copy() -> Path:
    """The repository's files (no .git, virtualenv or caches) in a world-readable folder,
    every file and folder without write permission."""
    folder = Path(tempfile.mkdtemp(prefix="atlas-ro-"))
    folder.chmod(0o755)
    copy = folder / "atlas"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "test-artifacts"))
    for path in [copy, *copy.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return copy


def _as_nobody() -> dict:
    """How to start the server as the unprivileged user ``nobody`` (when this is root): with an
    interpreter ``nobody`` may run (this one, or Debian's python3 of the same version reading
    this virtualenv's packages); as this user otherwise."""
    if os.geteuid() != 0:
        return {}
    try:
        subprocess.run([sys.executable, "-c", ""], user="nobody", check=True)
        return {"user": "nobody"}
    except (OSError, subprocess.CalledProcessError):
        pass
    system = "/usr/bin/python3"
    version = subprocess.run([system, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()
    if version != str(sys.version_info[:2]):
        pytest.fail(f"nobody cannot run {sys.executable}, and {system} is not Python "
                    f"{sys.version_info[:2]}")
    return {"user": "nobody", "python": system,
            "env": {"PYTHONPATH": sysconfig.get_paths()["purelib"]}}


def test_the_app_runs_from_a_read_only_copy_as_another_user(page, tmp_path):
    copy = _read_only_copy()
    log = tmp_path / "server.log"
    log.touch(mode=0o666)
    how = _as_nobody()
    env = {"HOME": str(copy.parent), "MPLCONFIGDIR": tempfile.mkdtemp(), **how.pop("env", {})}
    Path(env["MPLCONFIGDIR"]).chmod(0o777)
    process, url = start_server(script=copy / "app.py", cwd=copy, log=log, env=env, **how)
    try:
        if "user" in how:
            assert psutil.Process(process.pid).uids().real == pwd.getpwnam("nobody").pw_uid
        frame = open_dashboard(page, url)
        assert set(frame.evaluate(DRAWN)) == ALL_SHAPES
        assert frame.evaluate("() => typeof L.version") == "string"
        assert page.external_requests == [] and page.errors == []
    finally:
        stop(process)
        for path in [copy.parent, copy, *copy.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(copy.parent)
    assert "Error" not in log.read_text(errors="replace"), log.read_text(errors="replace")


@pytest.fixture(scope="module")
def deployment():
    require_chromium()
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: apt-get install nginx (.ci/run does)")
    with Deployment(2) as running:
        yield running


def test_behind_nginx_the_map_draws_under_the_security_headers(page, deployment):
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.request.get(deployment.url)
    headers = response.headers
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    frame = open_dashboard(page, deployment.url)
    assert set(frame.evaluate(DRAWN)) == ALL_SHAPES
    assert not [m for m in console if "Content Security Policy" in m], console
    assert page.external_requests == [] and page.errors == []


def test_another_site_cannot_frame_the_page(page, deployment):
    refused = "frame-ancestors 'self'"
    with page.expect_console_message(lambda m: refused in m.text) as message, \
            page.expect_response(f"{deployment.url}/") as framed:
        page.set_content(f'<iframe src="{deployment.url}/" width="800" height="600"></iframe>')
    assert framed.value.status == 200  # the server answered; the browser refused to show it
    assert "The request has been blocked" in message.value.text
    assert page.frames[1].url.startswith("chrome-error")
