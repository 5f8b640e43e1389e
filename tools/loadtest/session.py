"""Viewers: what every session does and checks, and the real-browser session.

A viewer owns a :class:`Plan` (its own countries and its own window of years, disjoint from
every other viewer's), changes the year one step at a time and selects its next country, and
after every action audits *everything it was ever shown*: a foreign country, a foreign year,
a foreign URL parameter or another session's uploaded records is an isolation violation.

:class:`BrowserSession` is a real Chromium page (its own browser context). Its page carries
:data:`PROBE`, a script that watches the DOM from the first byte and logs every panel heading,
every "In <year>:" status line, every URL, every exception element and every user-supplied
record the page ever shows. Latency is read from that log too: the moment the page first showed
the expected result, so the figure does not depend on how often Playwright polls.
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from playwright.async_api import BrowserContext, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tools import harness

UPLOAD_LABEL = "Your cooperation records (CSV or XLSX)"
MARKER = "Load-test upload marker"
LOCAL = (*harness.LOCAL, "data:", "blob:", "about:")

PROBE = r"""
(() => {
  if (window.top !== window || window.__atlas) return;
  const log = window.__atlas = {headings: [], years: [], searches: [], exceptions: [],
                                userRows: 0, marker: 0, state: null, key: ""};
  const add = (list, value) => { if (!list.includes(value)) list.push(value); };
  const snapshot = () => {
    const search = location.search;
    add(log.searches, search);
    const headings = [...document.querySelectorAll('[data-testid="stHeading"] h3')]
      .map(h => h.textContent);
    headings.forEach(h => add(log.headings, h));
    let year = null;
    for (const p of document.querySelectorAll('[data-testid="stMarkdownContainer"] p')) {
      const match = /^In (\d{4}): /.exec(p.textContent);
      if (match) { year = Number(match[1]); add(log.years, year); }
    }
    for (const e of document.querySelectorAll('[data-testid="stException"]'))
      add(log.exceptions, e.textContent.slice(0, 300));
    const records = [...document.querySelectorAll('.atlas-record')];
    const user = records.filter(r => r.querySelector('.user')).length;
    log.userRows = Math.max(log.userRows, user);
    log.marker = Math.max(log.marker,
                          records.filter(r => r.textContent.includes(__MARKER__)).length);
    const params = new URLSearchParams(search);
    const state = {heading: headings.length ? headings[headings.length - 1] : null, year,
                   country: params.get("country"), yearParam: params.get("year"),
                   stale: document.querySelectorAll('[data-stale="true"]').length,
                   userRows: user};
    const key = JSON.stringify(state);
    if (key !== log.key) { log.key = key; state.at = Date.now(); log.state = state; }
  };
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; queueMicrotask(() => { queued = false; snapshot(); }); }
  }).observe(document, {childList: true, subtree: true, characterData: true,
                        attributes: true, attributeFilter: ["data-stale"]});
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name].bind(history);
    history[name] = (...args) => { const r = original(...args); snapshot(); return r; };
  }
})();
""".replace("__MARKER__", repr(MARKER))

SHOWS = """e => { const s = window.__atlas && window.__atlas.state;
  return !!s && s.heading === e.heading && s.year === e.year && s.stale === 0
    && s.country === e.country && s.yearParam === e.yearParam
    && (!e.userRows || s.userRows > 0) && s.at; }"""
CONTAINER_POINT = "([lat, lon]) => window.map.latLngToContainerPoint([lat, lon])"
MAP_READY = "() => !!window.map && Object.keys(window.map._layers).length > 40"


def replica(headers) -> str | None:
    """The replica that answered, from nginx's X-Atlas-Replica header (the last one it tried:
    "dead:port, alive:port" after a failover); None without nginx."""
    tried = headers.get("x-atlas-replica")
    return tried.split(",")[-1].strip() if tried else None


def now_ms() -> float:
    """Wall-clock milliseconds: the same clock as the page's ``Date.now()`` on this machine."""
    return time.time() * 1000


def upload_csv(countries: list[str]) -> bytes:
    """A valid upload in the project's schema: one ongoing record since 1959 per country.

    Every year of every country then shows a user-supplied record, so any session that ever
    received another session's upload would show the marker, whatever it looks at.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country", "activity", "start_year", "end_year", "title", "description",
                     "evidence", "evidence_note", "source_url", "source_title"])
    for iso3 in countries:
        writer.writerow([iso3, "medical_diplomacy", 1959, "", f"{MARKER} {iso3}",
                         "A synthetic record uploaded by the load test; never shown to others.",
                         "documented", "", "https://example.org/loadtest", "Load test"])
    return out.getvalue().encode("utf-8")


async def has_upload_widget(page: Page) -> bool:
    """Whether the page offers the records upload (checked on the live page, not assumed)."""
    return await page.get_by_text(UPLOAD_LABEL).count() > 0


async def upload_check(page: Page, data: bytes, accepted: int, timeout_ms: float) -> float:
    """Upload ``data`` in the sidebar and wait until this page shows its own user rows.

    Returns the milliseconds from choosing the file to the page showing the accepted count
    and a user-supplied record in the country panel.
    """
    label = page.get_by_text(UPLOAD_LABEL).first
    if not await label.evaluate("e => { const d = e.closest('details'); return !d || d.open; }"):
        await label.click()  # open the expander (it stays open after an earlier upload)
    start = now_ms()
    await page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(
        files=[{"name": "loadtest-upload.csv", "mimeType": "text/csv", "buffer": data}])
    await page.get_by_text(f"{accepted} row(s) accepted, 0 rejected.").wait_for(
        timeout=timeout_ms)
    await page.locator(".atlas-record .user").first.wait_for(timeout=timeout_ms)
    return now_ms() - start


@dataclass
class Plan:
    """What one session may look at: its own countries and its own window of years."""

    index: int
    countries: list[str]
    years: list[int]
    upload: bool = False
    client: str = "browser"  # or "protocol"


class ActionTimeout(Exception):
    """An action's result did not show within the timeout."""


@dataclass
class Viewer:
    """What every session does and audits; subclasses say how (a page or the protocol)."""

    plan: Plan
    base_url: str
    names: dict[str, str]
    default_year: int
    timeout_ms: float = 30_000
    think: tuple[float, float] = (1.0, 3.0)
    alliances: tuple[str, ...] = ()  # the alliance filter's shown labels (filter changes)
    actions: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    checks: int = 0
    load_ms: float | None = None
    upload_ms: float | None = None
    uploaded: bool = False
    closing: bool = False
    started: float = field(default_factory=time.monotonic)
    replica: str | None = None  # the address of the replica serving it (behind nginx)
    failover_events: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.country: str | None = self.plan.countries[0]
        self.year = self.plan.years[0]
        self.step = 1
        self.filters_changed = 0
        self.rng = random.Random(self.plan.index)
        self._exceptions_seen = 0
        self.shown = (self.country, self.year)  # the last view confirmed on the page

    # -- bookkeeping ------------------------------------------------------------------------
    def _error(self, kind: str, detail: str) -> None:
        if not self.closing:
            self.errors.append({"session": self.plan.index, "client": self.plan.client,
                                "kind": kind, "detail": detail[:300],
                                "t": round(time.monotonic() - self.started, 2)})

    def _record(self, kind: str, ms: float) -> None:
        self.actions.append({"kind": kind, "ms": round(ms, 1),
                             "t": round(time.monotonic() - self.started, 2)})

    def expected(self) -> dict:
        """What the page must show now: this session's country (or none) and year."""
        return self.expected_for(self.country, self.year)

    def expected_for(self, country: str | None, year: int) -> dict:
        return {"heading": self.names[country] if country else None,
                "year": year if country else None, "country": country,
                "yearParam": None if year == self.default_year else str(year),
                "userRows": bool(self.uploaded and country)}

    def url_query(self) -> str:
        query = {"country": self.country}
        if self.year != self.default_year:
            query["year"] = str(self.year)
        return urlencode(query)

    def next_year(self) -> int:
        """One step within this session's window, turning at its ends."""
        if self.year + self.step not in self.plan.years:
            self.step = -self.step
        self.year += self.step
        return self.step

    def next_filter(self) -> list[str]:
        """The alliance filter's next value: every alliance but the next one in turn, then
        but two neighbours once those run out (a filter not chosen before, twice as long)."""
        i, n = self.filters_changed % (2 * len(self.alliances)), len(self.alliances)
        self.filters_changed += 1
        left_out = {self.alliances[i % n]} | ({self.alliances[(i + 1) % n]} if i >= n else set())
        return [a for a in self.alliances if a not in left_out]

    def next_country(self) -> str:
        countries = self.plan.countries
        self.country = countries[(countries.index(self.country) + 1) % len(countries)]
        return self.country

    def audit(self, log: dict) -> None:
        """Everything this session was ever shown belongs to it (the whole log, every time)."""
        self.checks += 1
        own_names = {self.names[c] for c in self.plan.countries}
        own_years = set(self.plan.years)
        found = [f"heading {h!r}" for h in log["headings"] if h not in own_names]
        found += [f"year {y}" for y in log["years"] if y not in own_years]
        for search in log["searches"]:
            params = parse_qs(search.lstrip("?"))
            found += [f"url country {c}" for c in params.get("country", [])
                      if c not in self.plan.countries]
            found += [f"url year {y}" for y in params.get("year", [])
                      if not y.isdigit() or int(y) not in own_years]
        if not self.plan.upload and (log["userRows"] or log["marker"]):
            found.append(f"another session's uploaded records ({log['marker']} marked)")
        for text in log["exceptions"][self._exceptions_seen:]:
            self._error("exception", text)
        self._exceptions_seen = len(log["exceptions"])
        for item in found:
            message = f"session {self.plan.index} ({self.plan.client}) saw {item}"
            if message not in self.violations:
                self.violations.append(message)

    # -- what a viewer does -----------------------------------------------------------------
    async def open(self) -> None:
        raise NotImplementedError

    async def change_year(self) -> None:
        raise NotImplementedError

    async def change_country(self) -> None:
        raise NotImplementedError

    async def change_filters(self) -> None:
        raise NotImplementedError

    @property
    def filters(self) -> bool:
        """Whether this viewer changes filters too (protocol clients, given the labels)."""
        return bool(self.alliances) and type(self).change_filters is not Viewer.change_filters

    async def upload(self) -> None:
        raise NotImplementedError

    async def log(self) -> dict:
        raise NotImplementedError

    async def state(self) -> dict | None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def check(self) -> None:
        self.audit(await self.log())
        self.shown = (self.country, self.year)

    async def recover(self, since: float) -> float | None:
        """After the replica holding this session was killed (at monotonic time ``since``):
        reconnect and show the view again. Milliseconds from the kill to the view shown, or
        None (an error). What happened meanwhile is moved to ``failover_events``. An upload
        is lost with its replica (unless nginx retried it on another one): the session uploads
        it again when it drives on."""
        self.uploaded = False
        try:
            await self.reconnect(since)
            took = (time.monotonic() - since) * 1000
            await self.check()
        except Exception as error:
            took = None
            first_line = (str(error) or type(error).__name__).splitlines()[0]
            self._error("timeout", f"no recovery after the failover: expected {self.expected()} "
                                   f"or the view before, shows {await self._safe_state()}: "
                                   f"{first_line}")
        cut = since - self.started - 0.5
        self.failover_events += [e for e in self.errors if e["t"] >= cut and took is not None]
        self.errors = [e for e in self.errors if e["t"] < cut or took is None]
        return took

    async def reconnect(self, since: float) -> None:
        raise NotImplementedError

    async def drive(self, deadline: float) -> None:
        """(The upload,) year, year (or filters), country, ... with a pause between, until
        ``deadline``."""
        cycle = ["year", "filters" if self.filters else "year", "country"] \
            if len(self.plan.years) > 1 else ["country"]
        first = ["upload"] if self.plan.upload and not self.uploaded else []
        steps = {"upload": self.upload, "year": self.change_year,
                 "filters": self.change_filters, "country": self.change_country}
        turn = 0
        while time.monotonic() < deadline:
            if first:
                kind = first.pop()
            else:
                kind = cycle[turn % len(cycle)]
                turn += 1
            try:
                await steps[kind]()
                await self.check()
            except Exception as error:  # recorded, never fatal to the other sessions
                timeout = isinstance(error, ActionTimeout | TimeoutError | PlaywrightTimeout)
                first_line = (str(error) or type(error).__name__).splitlines()[0]
                self._error("timeout" if timeout else "driver_error",
                            f"{kind}: expected {self.expected()}, shows "
                            f"{await self._safe_state()}: {first_line}")
                return  # this session's state is unknown from here on
            await asyncio.sleep(self.rng.uniform(*self.think))

    async def _safe_state(self) -> dict | None:
        try:
            return await asyncio.wait_for(self.state(), 5)
        except Exception:
            return None


@dataclass
class BrowserSession(Viewer):
    """A real Chromium page in its own browser context (own cookies, own Streamlit session)."""

    context: BrowserContext | None = None
    targets: dict[str, tuple[float, float]] = field(default_factory=dict)
    upload_data: bytes | None = None
    upload_rows: int = 0
    page: Page | None = None
    prefer_map: bool = True
    socket_opened: float = 0.0  # when the page last opened its websocket (monotonic)

    def _listen(self, page: Page) -> None:
        page.on("pageerror", lambda error: self._error("page_error", str(error)))
        page.on("requestfailed", lambda request: self._error(
            "failed_request", f"{request.url} {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and self._error(
            "http_error", f"{response.status} {response.url}"))
        page.on("request", lambda request: request.url.startswith(LOCAL) or self._error(
            "external_request", request.url))
        page.on("console", lambda message: message.type == "error" and self._error(
            "console_error", message.text))
        page.on("websocket", self._watch_socket)

    def _watch_socket(self, socket) -> None:
        if "/_stcore/stream" in socket.url:
            self.socket_opened = time.monotonic()
            socket.on("close", lambda _: self._error("disconnect", socket.url))
            socket.on("socketerror", lambda error: self._error("disconnect", str(error)))

    async def _shows(self, expected: dict) -> float:
        """Wait until the page shows ``expected``; the page's time it first did (ms)."""
        handle = await self.page.wait_for_function(SHOWS, arg=expected, polling=50,
                                                   timeout=self.timeout_ms)
        return float(await handle.json_value())

    async def state(self) -> dict | None:
        return await self.page.evaluate("() => window.__atlas && window.__atlas.state")

    async def log(self) -> dict:
        return await self.page.evaluate("() => window.__atlas")

    async def open(self) -> None:
        """Open the dashboard on this session's own country and year (query parameters)."""
        await self.context.add_init_script(PROBE)
        self.page = await self.context.new_page()
        self._listen(self.page)
        start = now_ms()
        await self.page.goto(f"{self.base_url}/?{self.url_query()}", timeout=self.timeout_ms * 2)
        self.load_ms = await self._shows(self.expected()) - start
        await self.check()
        await self._which_replica()

    async def _which_replica(self) -> None:
        """The replica this page's requests reach now (nginx names it; None without nginx)."""
        response = await self.context.request.get(f"{self.base_url}/_stcore/health")
        self.replica = replica(response.headers)

    async def reconnect(self, since: float) -> None:
        """The page reconnects by itself (a new websocket, to a live replica); wait until it
        has and shows its view again, with no run going on (the view asked for last, or the
        one shown before if that change was lost with the replica)."""
        deadline = time.monotonic() + self.timeout_ms * 2 / 1000
        while self.socket_opened < since:  # Playwright reports the new socket
            if time.monotonic() > deadline:
                raise ActionTimeout("the page opened no new websocket")
            await self.page.wait_for_timeout(100)
        views = [self.shown, (self.country, self.year)]
        handle = await self.page.wait_for_function(
            "views => { const s = window.__atlas && window.__atlas.state;"
            " if (!s || s.stale || document.querySelector('[data-testid=stStatusWidget]'))"
            "   return 0;"
            " return 1 + views.findIndex(e => s.heading === e.heading && s.year === e.year"
            "   && s.country === e.country && s.yearParam === e.yearParam"
            "   && (!e.userRows || s.userRows > 0)); }",
            arg=[self.expected_for(*v) for v in views],
            polling=100, timeout=max(1000, (deadline - time.monotonic()) * 1000))
        self.country, self.year = views[int(await handle.json_value()) - 1]
        # The page shows what it showed before (it reruns at its next action), uploaded rows
        # included, but they were lost with the replica: it uploads them again.
        await self._which_replica()

    async def upload(self) -> None:
        """This session's upload (:func:`upload_check`); from then on it must see its rows."""
        self.upload_ms = await upload_check(self.page, self.upload_data, self.upload_rows,
                                            self.timeout_ms)
        self.uploaded = True

    async def change_year(self) -> None:
        """One step of the year slider with the keyboard."""
        step = self.next_year()
        await self.page.get_by_role("slider").first.focus()
        start = now_ms()
        await self.page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
        self._record("year", await self._shows(self.expected()) - start)

    async def change_country(self) -> None:
        """The next own country: a click on the map and the select box in turn.

        A session with one country clears the selection first (the panel's button).
        """
        if len(self.plan.countries) == 1:
            start = now_ms()
            await self.page.get_by_role("button", name="Clear selection").click()
            self.country = None
            self._record("clear", await self._shows(self.expected()) - start)
            self.country = self.plan.countries[0]
        else:
            self.next_country()
        point = await self._map_point() if self.prefer_map else None
        self.prefer_map = point is None  # alternate whenever the map could be used
        if point is None:
            await self.page.get_by_label("Country", exact=True).click()
            await self.page.keyboard.press("ControlOrMeta+A")  # replace any earlier search
            await self.page.keyboard.press("Backspace")
            await self.page.keyboard.type(self.names[self.country])
            # under load the list filters late: press Enter once this country is the first option
            await self.page.wait_for_function(
                "name => { const o = document.querySelector('[role=option]');"
                " return o && o.textContent.trim() === name; }", arg=self.names[self.country])
        start = now_ms()
        if point is None:
            await self.page.keyboard.press("Enter")
        else:
            await self.page.mouse.click(*point)
        self._record("select" if point is None else "map",
                     await self._shows(self.expected()) - start)

    async def _map_point(self) -> tuple[float, float] | None:
        """A quiet point of the country on the visible map, or None (then: the select box)."""
        if self.country not in self.targets:
            return None
        frame = next((f for f in self.page.frames if harness.MAP_COMPONENT in f.url), None)
        if frame is None or not await frame.evaluate(MAP_READY):
            return None
        lon, lat = self.targets[self.country]
        point = await frame.evaluate(CONTAINER_POINT, [lat, lon])
        box = await self.page.locator(harness.MAP_FRAME).bounding_box()
        viewport = self.page.viewport_size
        x, y = box["x"] + point["x"], box["y"] + point["y"]
        inside = (box["x"] < x < box["x"] + box["width"]
                  and box["y"] < y < box["y"] + box["height"])
        return (x, y) if inside and 0 < x < viewport["width"] and 0 < y < viewport["height"] \
            else None

    async def own_upload_seen(self) -> bool:
        log = await self.log()
        return bool(log["userRows"] and log["marker"])

    async def close(self) -> None:
        self.closing = True
        await self.context.close()
