"""What a briefer waits for, in headless Chromium against a real ``streamlit run`` server.

The server is started the way ``tests/e2e/conftest.py`` starts it (with the file watcher off);
every request that does not go to it is aborted. Bytes are counted with the DevTools protocol:
each HTTP response's transfer size and every websocket frame the page receives.
"""

from __future__ import annotations

import base64
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from tools.bench.server import summary
from tools.harness import CHROMIUM, CHROMIUM_ARGS, MAP_COMPONENT, MAP_FRAME, start_server

DRAWN = """iso3s => { if (!window.map) return false;
  const seen = new Set();
  window.map.eachLayer(l => { if (l.feature && l.feature.properties && l._path
    && l._path.isConnected) seen.add(l.feature.properties.iso3); });
  return iso3s.every(i => seen.has(i)); }"""
HEADING = """name => [...document.querySelectorAll('[data-testid="stHeading"] h3, h3')]
  .some(h => h.textContent.trim() === name)"""
REDRAWS = "() => (window.feature_group || []).length"


def unavailable() -> str | None:
    """Why the browser part cannot run here (None: it can)."""
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


class Traffic:
    """Bytes received by one page, from the DevTools protocol's Network events."""

    def __init__(self, page, server: str):
        self.server = server
        self.http: dict[str, int] = {}  # request id -> transfer size
        self.urls: dict[str, str] = {}
        self.websocket = 0
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _response(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event: dict) -> None:
        self.http[event["requestId"]] = int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        self.websocket += len(base64.b64decode(data)) if response.get("opcode") == 2 \
            else len(data.encode())

    def reset(self) -> None:
        self.http.clear()
        self.urls.clear()
        self.websocket = 0

    def totals(self) -> dict:
        """HTTP bytes split into Streamlit's own bundle (under /static/) and the rest."""
        static = other = 0
        for request, size in self.http.items():
            path = urlsplit(self.urls.get(request, "")).path
            if path.startswith("/static/"):
                static += size
            else:
                other += size
        return {"total_bytes_excl_streamlit_bundle": other + self.websocket,
                "http_bytes_excl_streamlit_bundle": other, "websocket_bytes": self.websocket,
                "streamlit_bundle_bytes": static, "requests": len(self.http)}


def _open(page, url: str, iso3s: list[str], timeout_ms: int) -> tuple[float, object]:
    """Navigate and wait until every shape is drawn; (seconds, the map's frame)."""
    start = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector(MAP_FRAME, timeout=timeout_ms)
    frame = None
    while frame is None:
        frame = next((f for f in page.frames if MAP_COMPONENT in f.url), None)
        if frame is None:
            page.wait_for_timeout(10)
    frame.wait_for_function(DRAWN, arg=iso3s, timeout=timeout_ms, polling="raf")
    return time.perf_counter() - start, frame


def _click(page, frame, lon: float, lat: float) -> None:
    point = frame.evaluate("([lat, lon]) => window.map.latLngToContainerPoint([lat, lon])",
                           [lat, lon])
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def measure(script: Path, *, iso3s: list[str], click: tuple[str, str, float, float],
            navigations: int, clicks: int, env: dict[str, str] | None = None,
            log: Callable[[str], None] = print, timeout_ms: int = 120_000,
            args: tuple[str, ...] = ()) -> dict:
    """First load (bytes, time), warm navigations, clicks on a country, year changes (as many
    as clicks; ``args``: extra server options).

    ``iso3s``: the shapes that must all be drawn; ``click``: (iso3, name, lon, lat) of a point
    inside a country whose panel heading is ``name``.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    process, url = start_server(env or {}, script, args=args)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            external: list[str] = []

            def gate(route):
                if route.request.url.startswith(url):
                    route.continue_()
                else:
                    external.append(route.request.url)
                    route.abort()

            context.route("**/*", gate)
            page = context.new_page()
            traffic = Traffic(page, url)
            cold, frame = _open(page, url, iso3s, timeout_ms)
            page.wait_for_timeout(1500)  # let the rest of the page arrive
            first_load = traffic.totals()
            log(f"    first load: {cold * 1000:.0f} ms, "
                f"{first_load['total_bytes_excl_streamlit_bundle']} B")

            warm = []
            for _ in range(navigations):
                seconds, frame = _open(page, url, iso3s, timeout_ms)
                warm.append(seconds)
            log(f"    warm navigation: {summary(warm)['median_ms']} ms")

            iso3, name, lon, lat = click
            waits, missed = [], 0
            for _ in range(clicks):
                _, frame = _open(page, url, iso3s, timeout_ms)
                page.wait_for_timeout(500)  # the page settles (as the end-to-end tests wait)
                start = time.perf_counter()
                _click(page, frame, lon, lat)
                try:
                    page.wait_for_function(HEADING, arg=name, timeout=20_000, polling="raf")
                    waits.append(time.perf_counter() - start)
                except PlaywrightTimeout:
                    missed += 1
            log(f"    click -> {name}: {summary(waits)['median_ms']} ms ({missed} missed)")

            _, frame = _open(page, url, iso3s, timeout_ms)
            page.wait_for_timeout(500)
            redrawn, received = [], []
            for _ in range(clicks):
                redraws = frame.evaluate(REDRAWS)
                traffic.reset()
                start = time.perf_counter()
                page.get_by_role("slider").first.focus()
                page.keyboard.press("ArrowLeft")
                frame.wait_for_function(f"() => ({REDRAWS})() > {redraws}", timeout=timeout_ms)
                redrawn.append(time.perf_counter() - start)
                page.wait_for_timeout(1000)  # the rest of the rerun arrives
                received.append(traffic.websocket)
            year_bytes = int(statistics.median(received))
            log(f"    year change: redrawn in {summary(redrawn)['median_ms']} ms, "
                f"{year_bytes} B")
            browser.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    return {
        "first_load": {**first_load, "nav_to_map_ms": round(cold * 1000, 1)},
        "nav_to_map_warm": summary(warm),
        "click_to_record": {**summary(waits), "country": iso3, "missed": missed},
        "year_change": {**summary(redrawn), "keypress_to_redraw_ms": summary(redrawn)["median_ms"],
                        "websocket_bytes": year_bytes},
        "external_requests_blocked": len(external),
    }
