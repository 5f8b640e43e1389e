"""Start the server, open the sessions, drive them, measure, and gather the figures.

Sessions are of two kinds, mixed in one run: real Chromium pages (:class:`BrowserSession`:
page errors, failed requests, map clicks, the upload, latency to the rendered page) and
protocol clients (:class:`ProtocolSession`: the same Streamlit session on the server, driven
over its websocket, latency to the finished run). One page costs about as much CPU as the
server's whole rerun, so on a 2-core machine 20 pages measure Chromium, not the dashboard:
a few pages plus protocol clients put the load on the server, where it belongs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from playwright.async_api import async_playwright
from shapely.geometry import MultiLineString, MultiPoint, Point

from geo import Atlas, load_atlas
from geo.io.upload import parse_upload
from geo.view.scene import build_scene
from geo.view.state import View
from tools.harness import CHROMIUM, CHROMIUM_ARGS, percentiles, start_server
from tools.loadtest import procs
from tools.loadtest.protocol import ProtocolSession
from tools.loadtest.session import (
    MARKER,
    BrowserSession,
    Plan,
    Viewer,
    has_upload_widget,
    upload_csv,
)
from tools.serve import Deployment
from ui.sidebar import org_label

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tools" / "loadtest" / "results.json"
VIEWPORT = {"width": 1440, "height": 900}
ERROR_KINDS = ("page_error", "exception", "failed_request", "http_error", "external_request",
               "console_error", "disconnect", "timeout", "driver_error", "open_failed")


@dataclass
class Options:
    """How hard and how long: the full run by default, :meth:`quick` for CI."""

    sessions: int = 20
    browsers: int = 4  # of the sessions, how many are real Chromium pages (the rest: protocol)
    duration: float = 60.0
    think: tuple[float, float] = (1.0, 3.0)  # seconds between a result and the next action
    timeout: float = 30.0  # seconds an action may take before it counts as an error
    stagger: float = 0.25  # seconds between two sessions opening
    upload: bool = True  # session 0 (a page) uploads records, if the page offers the upload
    map_clicks: bool = True  # pages select every other country with a click on the map
    out: Path = field(default=RESULTS)
    mode: str = "full"
    nginx: int = 0  # replicas behind nginx (tools.serve); 0: one server, no proxy
    kill: float | None = None  # seconds into the actions to kill the busiest replica

    @classmethod
    def quick(cls, **changes) -> Options:
        """CI: 5 sessions (2 pages) for 15 s."""
        return cls(**{"sessions": 5, "browsers": 2, "duration": 15.0, "mode": "quick",
                      **changes})

    def protocol_only(self) -> Options:
        """The same with protocol clients only (no Chromium, no upload): the server alone
        is measured (issue 14)."""
        return replace(self, browsers=0, upload=False, mode=f"{self.mode}, protocol only")


def plans(states: list[str], years: list[int], options: Options) -> list[Plan]:
    """Disjoint countries and disjoint year windows, so a leak shows as a foreign value.

    Sessions 0 .. browsers-1 are pages (session 0 uploads), the others protocol clients.
    """
    n = options.sessions
    if not 1 <= n <= len(states):
        raise ValueError(f"between 1 and {len(states)} sessions (one country each at least)")
    block = max(1, len(years) // n)
    return [Plan(index=i, countries=states[i::n], years=years[(i * block) % len(years):][:block],
                 upload=options.upload and i == 0 and options.browsers > 0,
                 client="browser" if i < options.browsers else "protocol")
            for i in range(n)]


def click_targets(atlas: Atlas, states: list[str]) -> dict[str, tuple[float, float]]:
    """For each state, a point well inside it and far from capital dots and Cuba's arcs.

    Tiny islands have no point 0.3° inside their coast: those are chosen with the select box.
    """
    scene = build_scene(atlas, View.default(atlas.last_year, atlas.organisations["org_id"]))
    busy = MultiLineString([list(line) for line in scene.links["line"]]).union(
        MultiPoint(list(zip(scene.states["lon"], scene.states["lat"], strict=True))))
    geometries = atlas.countries.set_index("iso3").geometry
    targets = {}
    for iso3 in states:
        inside = geometries[iso3].buffer(-0.3)
        if inside.is_empty:
            continue
        minx, miny, maxx, maxy = inside.bounds
        grid = [Point(minx + (maxx - minx) * i / 20, miny + (maxy - miny) * j / 20)
                for i in range(21) for j in range(21)]
        grid = [p for p in grid if inside.contains(p)]
        if grid:
            best = max(grid, key=busy.distance)
            targets[iso3] = (best.x, best.y)
    return targets


def summary(values: list[float]) -> dict:
    """Count, p50, p95, max and mean of milliseconds (percentiles interpolated linearly)."""
    figures = percentiles(values)
    return {k: None if figures[k] is None else round(figures[k])
            for k in ("count", "p50", "p95", "max", "mean")}


class Meter:
    """The server's resident memory (sampled twice a second) and everyone's CPU time."""

    def __init__(self, pids: list[int], skip: tuple[int, ...] = ()):
        self.servers = pids  # the Streamlit processes (replicas)
        self.skip = skip  # other children that are neither server nor Chromium (nginx)
        self.each: dict[str, list[float]] = {}
        self.server_cpu: dict[int, float] = {}
        self.started = time.monotonic()
        self.samples: list[tuple[float, float]] = []
        self.marks: dict[str, float] = {}
        self.cpu_marks: dict[str, dict[str, float]] = {}
        self.times: dict[str, float] = {}

    def rss_each(self) -> list[float]:
        """Each server's resident memory in MB (0 once it is gone)."""
        sizes = []
        for pid in self.servers:
            try:
                sizes.append(round(procs.rss_mb(pid), 1))
            except Exception:  # killed (failover run)
                sizes.append(0.0)
        return sizes

    def rss(self) -> float:
        return sum(self.rss_each())

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far: the servers, Chromium with the Playwright driver, this process."""
        mine = {*self.servers, *self.skip}
        others = [pid for pid in procs.descendants(os.getpid()) if pid not in mine]
        for pid in self.servers:  # a killed replica's CPU time stays counted
            self.server_cpu[pid] = max(self.server_cpu.get(pid, 0.0), procs.cpu_s(pid))
        return {"server": round(sum(self.server_cpu.values()), 2),
                "chromium": sum(procs.cpu_s(pid) for pid in others),
                "load_test": procs.cpu_s(os.getpid())}

    def mark(self, name: str) -> None:
        self.each[name] = self.rss_each()
        self.marks[name] = round(sum(self.each[name]), 1)
        self.cpu_marks[name] = self.cpu()
        self.times[name] = round(time.monotonic() - self.started, 1)

    def late_growth(self) -> float | None:
        """Peak RSS in the second half of the actions minus the peak in the first half.

        Near zero when memory has levelled off (caches full, sessions steady); a leak per
        rerun would show here as steady growth.
        """
        start, end = self.times["loaded"], self.times["end"]
        middle = (start + end) / 2
        first = [mb for t, mb in self.samples if start <= t < middle]
        second = [mb for t, mb in self.samples if middle <= t <= end]
        return round(max(second) - max(first), 1) if first and second else None

    def cpu_between(self, first: str, last: str) -> dict[str, float]:
        return {k: round(self.cpu_marks[last][k] - self.cpu_marks[first][k], 1)
                for k in self.cpu_marks[first]}

    async def sample(self) -> None:
        while True:
            self.samples.append((round(time.monotonic() - self.started, 1), round(self.rss(), 1)))
            await asyncio.sleep(0.5)


async def _open(session: Viewer, delay: float) -> bool:
    await asyncio.sleep(delay)
    try:
        await session.open()
        return True
    except Exception as error:  # a session that cannot open is an error, not a crash
        session._error("open_failed", f"{type(error).__name__}: {error}")
        return False


async def run(options: Options) -> dict:
    """The whole load test; returns the figures."""
    atlas = load_atlas()
    names = dict(zip(atlas.countries["iso3"], atlas.countries["name_en"], strict=True))
    states = sorted((c for c in atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
                     if c != "CUB"), key=names.__getitem__)
    years = list(range(atlas.first_year, atlas.last_year))  # the default year is never chosen
    session_plans = plans(states, years, options)
    targets = click_targets(atlas, states) if options.map_clicks else {}
    data = upload_csv(states)
    accepted = parse_upload("loadtest-upload.csv", data, atlas).accepted
    if accepted != len(states):
        raise RuntimeError("the load test's own upload no longer validates: see geo.io.upload")
    common = {"names": names, "default_year": atlas.last_year,
              "timeout_ms": options.timeout * 1000, "think": options.think,
              "alliances": tuple(map(org_label, sorted(atlas.organisations["org_id"])))}

    load_start = os.getloadavg()
    phases: dict[str, float] = {}
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    started = time.monotonic()
    if options.nginx:
        deployment = Deployment(options.nginx).start()
        url, stopping = deployment.url, deployment.stop
        meter = Meter(deployment.pids(), skip=(deployment.nginx.pid,))
    else:
        deployment = None
        process, url = start_server()
        meter = Meter([process.pid])

        def stopping() -> None:
            process.terminate()
            process.wait(timeout=30)
    phase("server_start")
    meter.mark("start")
    failover: dict | None = None
    sampler = asyncio.create_task(meter.sample())
    try:
        async with contextlib.AsyncExitStack() as stack:
            browser = None
            if any(plan.client == "browser" for plan in session_plans):
                playwright = await stack.enter_async_context(async_playwright())
                browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                           args=CHROMIUM_ARGS)
            # Warm up: the first viewer loads the cached atlas and geometry; "before" is after.
            warm_plan = Plan(-1, [states[0]], [years[0]])
            if browser is None:
                warm = ProtocolSession(warm_plan, url, **common)
                await warm.open()
                upload_widget = None  # not looked for: no page
            else:
                warm = BrowserSession(warm_plan, url, **common,
                                      context=await browser.new_context(viewport=VIEWPORT))
                await warm.open()
                upload_widget = await has_upload_widget(warm.page)
            await warm.close()
            await asyncio.sleep(1)
            meter.mark("before")
            phase("warm_up")

            sessions: list[Viewer] = []
            for plan in session_plans:
                if plan.client == "protocol":
                    sessions.append(ProtocolSession(plan, url, **common))
                    continue
                plan.upload = plan.upload and upload_widget
                sessions.append(BrowserSession(
                    plan, url, **common, context=await browser.new_context(viewport=VIEWPORT),
                    targets=targets, upload_data=data if plan.upload else None,
                    upload_rows=accepted))
            opened = await asyncio.gather(*(_open(s, i * options.stagger)
                                            for i, s in enumerate(sessions)))
            live = [s for s, ok in zip(sessions, opened, strict=True) if ok]
            meter.mark("loaded")
            phase("open")

            deadline = time.monotonic() + options.duration
            tasks = {s.plan.index: asyncio.create_task(s.drive(deadline)) for s in live}
            if deployment is not None and options.kill is not None:
                failover = await _failover(deployment, live, tasks, options.kill, deadline)
            await asyncio.gather(*tasks.values())
            meter.mark("end")
            phase("actions")
            for session in live:
                await session.check()
            uploader = next((s for s in live if s.plan.upload), None)
            own_upload = await uploader.own_upload_seen() if uploader else None
            for session in sessions:
                await session.close()
            if browser is not None:
                await browser.close()
        await asyncio.sleep(3)
        meter.mark("after")
        phase("close")
    finally:
        sampler.cancel()
        stopping()
    machine = {"phases_s": phases, "loadavg_start": [round(x, 2) for x in load_start],
               "loadavg_end": [round(x, 2) for x in os.getloadavg()],
               "cpu_count": os.cpu_count()}
    result = figures(options, url, sessions, opened, warm.errors, meter, upload_widget,
                     own_upload, machine, time.monotonic() - started)
    result["replicas"] = {"count": options.nginx or 1, "behind_nginx": bool(options.nginx),
                          "memory_mb": meter.each}
    result["failover"] = failover
    return result


async def _failover(deployment: Deployment, live: list[Viewer], tasks: dict, after: float,
                    deadline: float) -> dict:
    """Kill the busiest replica ``after`` seconds into the actions; the sessions it held
    reconnect and must show their view again (from the link), then act on until ``deadline``.
    What they see between the kill and their recovery is expected, and kept apart from the
    errors."""
    await asyncio.sleep(after)
    held = Counter(s.replica for s in live if s.replica)
    address = held.most_common(1)[0][0] if held else deployment.urls[0].removeprefix("http://")
    deployment.kill(deployment.urls.index(f"http://{address}"))
    killed_at = time.monotonic()
    moved = [s for s in live if s.replica == address]
    for session in moved:
        tasks[session.plan.index].cancel()
    await asyncio.gather(*(tasks[s.plan.index] for s in moved), return_exceptions=True)
    recovered = await asyncio.gather(*(s.recover(killed_at) for s in moved))
    for session, ok in zip(moved, recovered, strict=True):
        if ok is not None and time.monotonic() < deadline:
            tasks[session.plan.index] = asyncio.create_task(session.drive(deadline))
        else:
            del tasks[session.plan.index]
    return {"killed": address, "at_s": after,
            "sessions": [s.plan.index for s in moved],
            "recovered": [s.plan.index for s, ok in zip(moved, recovered, strict=True)
                          if ok is not None],
            "recovery_ms": summary([ok for ok in recovered if ok is not None]),
            "replicas_after": sorted({s.replica for s in moved}),
            "expected_events": [e for s in moved for e in s.failover_events][:50]}


def figures(options: Options, url: str, sessions: list[Viewer], opened: list[bool],
            warm_errors: list[dict], meter: Meter, upload_widget: bool,
            own_upload: bool | None, machine: dict, wall: float) -> dict:
    """The JSON document: configuration, actions, errors, latency, memory, CPU, isolation."""
    actions = [{**a, "client": s.plan.client} for s in sessions for a in s.actions]
    errors = warm_errors + [e for s in sessions for e in s.errors]
    violations = [v for s in sessions for v in s.violations]
    kinds = sorted({a["kind"] for a in actions})
    marks = meter.marks
    n = len(sessions)
    uploaders = [s.plan.index for s in sessions if s.plan.upload]
    action_s = machine["phases_s"]["actions"]

    def latency(client: str | None) -> dict:
        mine = [a for a in actions if client in (None, a["client"])]
        return {"rerun": summary([a["ms"] for a in mine]),
                "by_kind": {k: summary([a["ms"] for a in mine if a["kind"] == k])
                            for k in kinds if any(a["kind"] == k for a in mine)},
                "page_load": summary([s.load_ms for s in sessions if s.load_ms
                                      and client in (None, s.plan.client)])}

    return {
        "mode": options.mode,
        "config": {"sessions": n, "browser_sessions": sum(s.plan.client == "browser"
                                                          for s in sessions),
                   "protocol_sessions": sum(s.plan.client == "protocol" for s in sessions),
                   "duration_s": options.duration, "think_s": list(options.think),
                   "action_timeout_s": options.timeout, "url": url,
                   "streamlit": version("streamlit"), "playwright": version("playwright"),
                   "python": platform.python_version(), "cpu_count": os.cpu_count()},
        "sessions_opened": sum(opened),
        "actions": {"total": len(actions),
                    "by_kind": {k: sum(a["kind"] == k for a in actions) for k in kinds},
                    "per_second": round(len(actions) / action_s, 2) if action_s else 0},
        "errors": {"total": len(errors),
                   **{kind: sum(e["kind"] == kind for e in errors) for kind in ERROR_KINDS},
                   "details": errors[:50]},
        "latency_ms": {**latency(None), "browser": latency("browser"),
                       "protocol": latency("protocol"),
                       "upload": summary([s.upload_ms for s in sessions if s.upload_ms])},
        "memory_mb": {**marks,
                      "peak": max(mb for _, mb in meter.samples) if meter.samples else None,
                      "growth": round(marks["after"] - marks["before"], 1),
                      "growth_during_actions": round(marks["end"] - marks["loaded"], 1),
                      "growth_second_half": meter.late_growth(),
                      "per_session": round((marks["loaded"] - marks["before"]) / n, 1),
                      "samples": meter.samples[::2]},
        "cpu_s": {"opening": meter.cpu_between("before", "loaded"),
                  "actions": meter.cpu_between("loaded", "end")},
        "isolation": {"held": not violations and own_upload is not False,
                      "checks": sum(s.checks for s in sessions), "violations": violations,
                      "upload": {"widget_found": upload_widget, "enabled": bool(uploaders),
                                 "uploaders": uploaders, "marker": MARKER,
                                 "uploader_saw_own_rows": own_upload,
                                 "others_saw_user_rows": sum("uploaded records" in v
                                                             for v in violations)},
                      "plans": [asdict(s.plan) for s in sessions]},
        "machine": machine,
        "wall_s": round(wall, 1),
        "sessions": [{"index": s.plan.index, "client": s.plan.client,
                      "load_ms": s.load_ms and round(s.load_ms), "errors": len(s.errors),
                      "actions": s.actions} for s in sessions],
    }
