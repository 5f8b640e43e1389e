"""What the browser tests, the benchmark and the load test share: starting the real dashboard,
Debian's Chromium with the internet cut off, waiting on conditions, and percentiles."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_COMPONENT = "ui.map_component.map"  # the map's component (its frame's title and URL)
MAP_FRAME = f'iframe[title="{MAP_COMPONENT}"]'
LOCAL = ("http://127.0.0.1:", "http://localhost:", "ws://127.0.0.1:", "ws://localhost:")


def chromium_missing() -> str | None:
    """Why the browser tools cannot run here, or None when Debian's Chromium is installed."""
    if Path(CHROMIUM).exists():
        return None
    return "Debian's chromium is not installed (apt-get install chromium); see the README"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition: Callable[[], object], timeout: float, every: float = 0.1,
               what: str = "a condition", page=None) -> object:
    """Poll ``condition`` until it returns something truthy (returned); TimeoutError after
    ``timeout`` seconds. Given a Playwright ``page``, waits on the page's clock: Playwright's
    synchronous API handles the page's events (such as a new URL, ``page.url``) only while it
    is called, never during ``time.sleep``."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not hold within {timeout:g} s")
        if page is None:
            time.sleep(every)
        else:
            page.wait_for_timeout(every * 1000)


def healthy(url: str) -> bool:
    """True when the Streamlit server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_server(env: dict[str, str] | None = None, script: Path = ROOT / "app.py",
                 port: int | None = None, log: Path | None = None,
                 args: tuple[str, ...] = (), cwd: Path = ROOT, user: str | None = None,
                 python: str = sys.executable) -> tuple[subprocess.Popen, str]:
    """``streamlit run`` of ``script`` on a free port (or ``port``) with the file watcher off,
    from ``cwd`` (its ``.streamlit/config.toml`` applies), as ``user`` with ``python`` when
    given; the process and its URL once healthy. ``log`` receives the server's output."""
    port = port or free_port()
    output = log.open("ab") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [python, "-m", "streamlit", "run", str(script),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *args],
        cwd=cwd, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT,
        user=user)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: process.poll() is not None or healthy(url), 60, 0.3,
                   "the dashboard's health check")
    except TimeoutError:
        process.kill()
        raise
    if process.poll() is not None:
        raise RuntimeError(f"the dashboard exited with code {process.returncode}")
    return process, url


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate ``process`` and wait for it (killed if it does not stop in ``timeout`` s)."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def percentiles(ms: list[float]) -> dict:
    """Count, median (p50), p90, p95, max and mean of millisecond timings (interpolated
    linearly); None for each figure when there are none."""
    if not ms:
        return dict.fromkeys(("count", "p50", "p90", "p95", "max", "mean")) | {"count": 0}
    ordered = sorted(ms)
    if len(ordered) == 1:
        cuts = ordered * 99
    else:
        cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"count": len(ordered), "p50": round(statistics.median(ordered), 1),
            "p90": round(cuts[89], 1), "p95": round(cuts[94], 1),
            "max": round(ordered[-1], 1), "mean": round(statistics.fmean(ordered), 1)}
