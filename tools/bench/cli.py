"""``python -m tools.bench``: measure the dashboard and a naive baseline in one run, against the
budgets.

Prints a table of figures and ratios with PASS/FAIL per budget (issue 5) and writes the figures
as JSON (``tools/bench/results.json``, or ``--out``). ``--quick`` is the CI mode: fewer repetitions.
A part that cannot run here (no Chromium, no npm, ...) is reported with its reason, never
silently left out: its figures are ``null`` and ``reason`` says why.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).absolute().parents[2]
OUT = ROOT / "tools" / "bench" / "results.json"
NAIVE = ROOT / "tools" / "bench" / "naive_app.py"
KB, MB = 1000, 1000 * 1000
SCHEMA = 1


@dataclass(frozen=True)
class Plan:
    """How many times each thing is measured."""

    first_runs: int
    reruns: int
    naive_first_runs: int
    naive_reruns: int
    scaled_reruns: int
    navigations: int
    clicks: int
    cpu_reruns: int  # server CPU: back-to-back reruns of each action
    clients: int  # reruns per second: this many protocol clients back to back ...
    seconds: float  # ... for this long
    memory_reruns: int  # resident memory over this many reruns
    warm: bool = True  # one untimed change of each kind before the timed ones


FULL = Plan(first_runs=5, reruns=12, naive_first_runs=2, naive_reruns=4, scaled_reruns=5,
            navigations=8, clicks=8, cpu_reruns=20, clients=4, seconds=20, memory_reruns=1000)
QUICK = Plan(first_runs=1, reruns=1, naive_first_runs=1, naive_reruns=1, scaled_reruns=1,
             navigations=1, clicks=1, cpu_reruns=2, clients=2, seconds=2, memory_reruns=10,
             warm=False)


def _quiet() -> None:
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    warnings.filterwarnings("ignore", module="folium")  # e.g. GeometryCollection in the world
    import streamlit.logger

    streamlit.logger.set_log_level("ERROR")
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def _load() -> list[float] | None:
    """1, 5 and 15 minute load averages: other work on the machine skews every timing."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _server_args(options: list[str]) -> tuple[str, ...]:
    """``["runner.postScriptGC=true"]`` -> ``("--runner.postScriptGC", "true")``."""
    out: list[str] = []
    for option in options:
        key, _, value = option.partition("=")
        out += [f"--{key}", value]
    return tuple(out)


def _failed(error: BaseException) -> dict:
    return {"reason": f"{type(error).__name__}: {error}"}


def click_target(atlas, iso3: str = "VEN") -> tuple[str, str, float, float]:
    """A point inside ``iso3`` far from its border, Cuba's links and every capital (where the
    alliance dots sit), so a click there can only mean that country."""
    import shapely
    from shapely.geometry import LineString, Point

    from geo.view.scene import build_scene
    from geo.view.state import View

    scene = build_scene(atlas, View.default(atlas.last_year, sorted(atlas.organisations["org_id"])))
    countries = atlas.countries.set_index("iso3")
    busy = [LineString(line) for line in scene.links["line"]]
    busy += [Point(xy) for xy in zip(scene.states["lon"], scene.states["lat"], strict=True)]
    shape = countries.geometry[iso3]
    busy.append(shape.boundary)
    minx, miny, maxx, maxy = shape.bounds
    grid = [Point(minx + (maxx - minx) * i / 20, miny + (maxy - miny) * j / 20)
            for i in range(21) for j in range(21)]
    best = max((p for p in grid if shape.contains(p)),
               key=lambda p: min(shapely.distance(p, b) for b in busy))
    return iso3, str(countries.at[iso3, "name_en"]), round(best.x, 4), round(best.y, 4)


def world_functions(data_dir: Path, runs: int) -> dict:
    """The world without the page: build_scene, then the map built and serialised as st_folium
    does, timed per view change (used only when the page cannot run on world data)."""
    from dataclasses import replace

    import streamlit_folium

    from geo import load_atlas
    from geo.render import webmap as mapping
    from geo.render.leaflet import asset_urls
    from geo.view.scene import build_scene
    from geo.view.state import View
    from tools.bench.server import summary

    atlas = load_atlas(data_dir)
    default = View.default(atlas.last_year, sorted(atlas.organisations["org_id"]))
    sent: list[int] = []
    original = streamlit_folium._component_func
    streamlit_folium._component_func = lambda **kw: sent.append(
        len(json.dumps({k: v for k, v in kw.items() if k != "on_change"})))
    try:
        times = []
        for i in range(runs + 1):
            start = time.perf_counter()
            scene = build_scene(atlas, replace(default, year=atlas.last_year - 1 - i))
            base = mapping.base_map(atlas.countries, scene.palette,
                                    asset_urls("component/leaflet", "component/g/g.js"))
            streamlit_folium.st_folium(base, key="map",
                                       feature_group_to_add=mapping.view_layers(scene),
                                       returned_objects=["last_active_drawing", "last_clicked"])
            if i:
                times.append(time.perf_counter() - start)
    finally:
        streamlit_folium._component_func = original
    return {"method": "functions", "reruns": {"year": summary(times)},
            "map_bytes": {"year": sent[-1]}}


def run(args: argparse.Namespace, log=print) -> dict:
    from geo import load_atlas
    from tools.bench import browser, data, server, serving

    plan = QUICK if args.quick else FULL
    app = Path(args.app).absolute()
    data_dir = app.parent / "data"
    atlas = load_atlas(data_dir)
    choices = server.Choices.of(atlas)
    started = time.perf_counter()
    results: dict = {"meta": {
        "schema": SCHEMA, "quick": args.quick, "started": datetime.now().isoformat(" ", "seconds"),
        "app": str(app), "cpus": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "load_average_at_start": _load(),
        "versions": {p: version(p) for p in ("streamlit", "folium", "streamlit-folium",
                                              "geopandas")},
        "plan": plan.__dict__, "server_options": args.server_option,
        "notes": [
            "server process = a real streamlit run server with the repository's config, driven "
            "by websocket protocol clients (tools/loadtest/protocol.py) in this process; CPU per "
            "rerun = the server process's user + system CPU time over back-to-back reruns, read "
            "once the server is idle again, so Streamlit's post-run work (e.g. its garbage "
            "collection) is counted; every year and filter change leads to a view not drawn "
            "before",
            "server time = the page script's own run (timed around Streamlit's script runner), "
            "in process with AppTest; every timed rerun leads to a view not drawn before (the "
            "atlas stays loaded, as on a running server; caches keyed by less than the view "
            "may hit, as for a briefer)",
            "first run = a new session with st.cache_data and st.cache_resource cleared: data "
            "load + validation + join + map (Python modules already imported)",
            "map payload = bytes of the map component's arguments as Streamlit serialises "
            "them (json.dumps); they are sent whole on every rerun; KB = 1000 B",
        ]}}

    log("server process: streamlit run, driven by websocket protocol clients")
    try:
        results["server"] = serving.measure(
            app, atlas, runs=plan.cpu_reruns, clients=plan.clients, seconds=plan.seconds,
            reruns=plan.memory_reruns, env={"ATLAS_DATA_DIR": str(data_dir)},
            args=_server_args(args.server_option), log=log)
    except Exception as error:
        traceback.print_exc()
        results["server"] = _failed(error)
        log(f"    not measured: {results['server']['reason']}")

    log(f"app: {app}")
    results["app"] = server.measure(app, choices, env={"ATLAS_DATA_DIR": str(data_dir)},
                                    first_runs=plan.first_runs, reruns=plan.reruns, warm=plan.warm,
                                    log=log)

    log("naive baseline: tools/bench/naive_app.py")
    if args.no_naive:
        results["naive"] = {"reason": "skipped (--no-naive)"}
    else:
        try:
            countries = data.naive_countries(data_dir)
            results["naive"] = server.measure(
                NAIVE, choices, env={"ATLAS_DATA_DIR": str(data_dir),
                                     "NAIVE_COUNTRIES": str(countries)},
                first_runs=plan.naive_first_runs, reruns=plan.naive_reruns,
                warm=plan.warm, log=log)
            results["naive"]["countries_file_bytes"] = countries.stat().st_size
        except Exception as error:  # npm missing, explore() deps missing, ...
            results["naive"] = _failed(error)
            log(f"    not measured: {results['naive']['reason']}")

    results["browser"] = {"reason": "skipped (--no-browser)"} if args.no_browser else None
    if results["browser"] is None:
        log("browser: headless Chromium against streamlit run")
        reason = browser.unavailable()
        if reason:
            results["browser"] = {"reason": reason}
        else:
            try:
                results["browser"] = browser.measure(
                    app, iso3s=sorted(atlas.countries["iso3"]), click=click_target(atlas),
                    navigations=plan.navigations, clicks=plan.clicks,
                    env={"ATLAS_DATA_DIR": str(data_dir)}, log=log,
                    args=_server_args(args.server_option))
            except Exception as error:
                traceback.print_exc()
                results["browser"] = _failed(error)
        if "reason" in results["browser"]:
            log(f"    not measured: {results['browser']['reason']}")

    results["scaling"] = {}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
        for factor in (10, 100):
            name = f"records_x{factor}"
            log(f"scaling: cooperation records x{factor}")
            scaled = data.scaled_data(data_dir, factor, Path(tmp) / name)
            try:
                results["scaling"][name] = {
                    "records": len(load_atlas(scaled).records),
                    **server.measure(app, choices, env={"ATLAS_DATA_DIR": str(scaled)},
                                     first_runs=1, reruns=plan.scaled_reruns,
                                     warm=plan.warm, log=log)}
            except Exception as error:
                results["scaling"][name] = _failed(error)
                log(f"    not measured: {results['scaling'][name]['reason']}")
        log("scaling: the whole world's countries (Natural Earth 1:50m)")
        try:
            world = data.world_data(data_dir, Path(tmp) / "world")
            world_atlas = load_atlas(world)
            states = int((world_atlas.countries["kind"] == "state").sum())
            try:
                measured = {"method": "app", **server.measure(
                    app, server.Choices.of(world_atlas), env={"ATLAS_DATA_DIR": str(world)},
                    first_runs=1, reruns=plan.scaled_reruns, warm=plan.warm, log=log)}
            except Exception as error:
                log(f"    the page cannot run on world data ({error}); measuring functions")
                measured = {**world_functions(world, plan.scaled_reruns),
                            "page_error": str(error)}
            results["scaling"]["world"] = {"countries": len(world_atlas.countries),
                                           "states": states, **measured}
        except Exception as error:
            results["scaling"]["world"] = _failed(error)
            log(f"    not measured: {results['scaling']['world']['reason']}")

    results["budgets"] = budgets(results)
    results["meta"]["duration_s"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average_at_end"] = _load()
    return results


def _get(tree: dict, *path):
    for key in path:
        if not isinstance(tree, dict) or tree.get(key) is None:
            return None
        tree = tree[key]
    return tree


def _worst(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return max(known) if len(known) == len(values) and known else None


def _ratio(a, b) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def budgets(results: dict) -> list[dict]:
    """Each budget of issues 5 and 14 with the measured figure and PASS (True), FAIL (False)
    or None (not measured)."""
    from tools.bench.server import RERUNS

    filters = ("year", "alliances", "activities")
    app, naive = results["app"], results["naive"]
    rerun = _worst([_get(app, "reruns", k, "median_ms") for k in filters])
    payload = _worst([_get(app, "map_bytes", k) for k in ("first_run", *RERUNS)])
    payload_ratios = [_ratio(_get(naive, "map_bytes", k), _get(app, "map_bytes", k))
                      for k in RERUNS]
    payload_ratio = min(payload_ratios) if all(payload_ratios) else None
    speed_ratios = [_ratio(_get(naive, "reruns", k, "median_ms"),
                           _get(app, "reruns", k, "median_ms")) for k in RERUNS]
    speed_ratio = min(speed_ratios) if all(speed_ratios) else None
    x100 = _worst([_get(results["scaling"], "records_x100", "reruns", k, "median_ms")
                   for k in RERUNS])
    rows = [
        ("rerun after a filter or year change (worst median of year, alliances, activities)",
         rerun, "<=", 150, "ms"),
        ("map payload per rerun (worst median over first run and every rerun kind)",
         payload, "<=", 400 * KB, "B"),
        ("first load, total excl. Streamlit's own bundle (HTTP + websocket)",
         _get(results["browser"], "first_load", "total_bytes_excl_streamlit_bundle"), "<=",
         2 * MB, "B"),
        ("navigation -> map drawn, warm (median)",
         _get(results["browser"], "nav_to_map_warm", "median_ms"), "<=", 3000, "ms"),
        ("click on a country -> its record visible (median)",
         _get(results["browser"], "click_to_record", "median_ms"), "<=", 800, "ms"),
        ("map payload: naive / app (least over rerun kinds)", payload_ratio, ">=", 5, "x"),
        ("rerun speed: naive / app (least over rerun kinds)", speed_ratio, ">=", 3, "x"),
        ("x100 records: reruns (worst median of every kind)", x100, "<", 300, "ms"),
    ]
    serving, browser = results.get("server") or {}, results["browser"]
    rows14 = [
        ("server CPU per rerun, year change (process CPU time, collection included)",
         _get(serving, "cpu", "year", "cpu_ms_per_rerun"), "<=", 60, "ms"),
        ("server CPU per rerun, filter change (process CPU time, collection included)",
         _get(serving, "cpu", "filters", "cpu_ms_per_rerun"), "<=", 60, "ms"),
        ("reruns per second of one server process (clients back to back)",
         _get(serving, "throughput", "reruns_per_s"), ">=", 8, "/s"),
        ("click on a country -> its record visible (median)",
         _get(browser, "click_to_record", "median_ms"), "<=", 450, "ms"),
        ("year change -> map redrawn (median)",
         _get(browser, "year_change", "median_ms"), "<=", 300, "ms"),
        ("map bytes per year change (component payload, median)",
         _get(results["app"], "map_bytes", "year"), "<=", 100 * KB, "B"),
        ("resident memory growth over the last 90% of the reruns (flat)",
         _get(serving, "memory", "growth_after_tenth_mb"), "<=", 10, "MB"),
    ]
    out = []
    for issue, table_rows in ((5, rows), (14, rows14)):
        for name, measured, op, limit, unit in table_rows:
            ok = None if measured is None else (
                measured <= limit if op == "<=" else measured >= limit if op == ">=" else
                measured < limit)
            out.append({"budget": name, "measured": measured, "limit": limit, "op": op,
                        "unit": unit, "pass": ok, "issue": issue})
    return out


def _n(value, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        return f"{value / KB:,.1f} KB" if value < MB else f"{value / MB:,.2f} MB"
    if unit == "x":
        return f"{value:.1f}x"
    if unit in ("/s", "MB"):
        return f"{value:,.1f} {'reruns/s' if unit == '/s' else unit}"
    return f"{value:,.0f} ms" if unit == "ms" else f"{value:,}"


def _fmt(s: dict | None) -> str:
    if not s or s.get("median_ms") is None:
        return "n/a"
    return f"{s['median_ms']:.0f} / {s['p90_ms']:.0f}"


def table(results: dict) -> str:
    """The figures as a plain-text table (what ``python -m tools.bench`` prints)."""
    from tools.bench.server import RERUNS

    meta, app, naive = results["meta"], results["app"], results["naive"]
    lines = [f"Alliance Atlas benchmark: {meta['cpus']} CPUs, Python {meta['python']}, "
             f"streamlit {meta['versions']['streamlit']}, {'quick' if meta['quick'] else 'full'}"
             f" run, {meta['started']}; load average {meta['load_average_at_start']} at start, "
             f"{meta['load_average_at_end']} at end", ""]
    w = 46

    def row(label, *cells):
        lines.append(f"  {label:<{w}}" + "".join(f"{c:>18}" for c in cells))

    sp = results.get("server") or {}
    lines.append("Server process (streamlit run, protocol clients; process CPU time, Streamlit's "
                 "post-run work included)")
    if "reason" in sp:
        lines.append(f"  not measured: {sp['reason']}")
    elif sp:
        if sp["server_args"]:
            lines.append(f"  server options: {' '.join(sp['server_args'])}")
        for kind, figure in sp["cpu"].items():
            if isinstance(figure, dict):
                row(f"CPU per rerun: {kind} (CPU / wall, n={figure['n']})",
                    _n(figure["cpu_ms_per_rerun"], "ms"), _n(figure["wall_ms_per_rerun"], "ms"))
        t, m = sp["throughput"], sp["memory"]
        row(f"reruns/s, {t['clients']} clients back to back; per CPU s",
            _n(t["reruns_per_s"], "/s"), _n(t["reruns_per_cpu_s"], "/s"),
            f"{t['server_cpu_share']:.0%} of a core")
        row(f"resident memory over {m['reruns']} reruns: start / end",
            _n(m["rss_mb"][0][1], "MB"), _n(m["end_mb"], "MB"))
        row(f"  growth after the first {m['reruns'] // 10} reruns",
            _n(m["growth_after_tenth_mb"], "MB"))
    lines.append(f"{'Script time in process (AppTest), ms (median / p90)':<{w + 2}}"
                 + "".join(f"{h:>18}" for h in ("app", "naive", "naive/app")))
    for label, key in [("first run (caches cleared)", None)] + [(f"rerun: {k}", k)
                                                                 for k in RERUNS]:
        a = app["first_run"] if key is None else _get(app, "reruns", key)
        n = _get(naive, "first_run") if key is None else _get(naive, "reruns", key)
        row(label, _fmt(a), _fmt(n), _n(_ratio(_get(n, "median_ms"), _get(a, "median_ms")), "x"))
    lines.append("Map payload per run (component arguments)")
    for key in ("first_run", *RERUNS):
        a, n = _get(app, "map_bytes", key), _get(naive, "map_bytes", key)
        row(key.replace("_", " ") if key == "first_run" else f"rerun: {key}", _n(a, "B"),
            _n(n, "B"), _n(_ratio(n, a), "x"))
    if "reason" in naive:
        lines.append(f"  naive baseline not measured: {naive['reason']}")
    else:
        lines.append(f"  naive = tools/bench/naive_app.py: no caching; region at Natural Earth "
                     "1:10m, "
                     f"unsimplified ({_n(naive['countries_file_bytes'], 'B')} of GeoJSON); "
                     "explore(); st_folium without returned_objects")

    b = results["browser"]
    lines.append("Browser (headless Chromium, real streamlit run server)")
    if "reason" in b:
        lines.append(f"  not measured: {b['reason']}")
    else:
        f = b["first_load"]
        row("first load: total excl. Streamlit bundle", _n(f["total_bytes_excl_streamlit_bundle"],
                                                           "B"))
        row("  of which HTTP / websocket", _n(f["http_bytes_excl_streamlit_bundle"], "B"),
            _n(f["websocket_bytes"], "B"))
        row("  Streamlit's own bundle (/static/)", _n(f["streamlit_bundle_bytes"], "B"))
        row("navigation -> map drawn: cold / warm median", _n(f["nav_to_map_ms"], "ms"),
            _n(b["nav_to_map_warm"]["median_ms"], "ms"))
        c = b["click_to_record"]
        row(f"click {c['country']} -> record visible (med/p90)", _n(c["median_ms"], "ms"),
            _n(c["p90_ms"], "ms"))
        y = b["year_change"]
        row("year key -> map redrawn; websocket bytes", _n(y["keypress_to_redraw_ms"], "ms"),
            _n(y["websocket_bytes"], "B"))

    s = results["scaling"]
    cols = [("x1", app), ("x10 records", s.get("records_x10", {})),
            ("x100 records", s.get("records_x100", {})), ("world", s.get("world", {}))]
    lines.append(f"Scaling: server time median, ms{'':<{w - 30}}"
                 + "".join(f"{h:>18}" for h, _ in cols))
    row("first run", *[_n(_get(t, "first_run", "median_ms"), "ms") for _, t in cols])
    for key in RERUNS:
        row(f"rerun: {key}", *[_n(_get(t, "reruns", key, "median_ms"), "ms") for _, t in cols])
    row("map payload, rerun: year", *[_n(_get(t, "map_bytes", "year"), "B") for _, t in cols])
    world = s.get("world", {})
    if "reason" in world:
        lines.append(f"  world not measured: {world['reason']}")
    else:
        how = ("the page itself on world data" if world.get("method") == "app" else
               "function level (build_scene + map built and serialised), page could not run")
        lines.append(f"  world: {world.get('countries')} countries ({world.get('states')} "
                     f"coloured states), measured with {how}")
    for name in ("records_x10", "records_x100"):
        if "reason" in s.get(name, {}):
            lines.append(f"  {name} not measured: {s[name]['reason']}")

    for issue in (5, 14):
        lines.append(f"Budgets (issue {issue})")
        for item in results["budgets"]:
            if item["issue"] != issue:
                continue
            verdict = {True: "PASS", False: "FAIL", None: "N/A "}[item["pass"]]
            limit = _n(item["limit"], item["unit"])
            lines.append(f"  {verdict}  {item['budget']}: {_n(item['measured'], item['unit'])} "
                         f"(budget {item['op']} {limit})")
    lines.append(f"({meta['duration_s']} s)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (CI)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON file (default {OUT})")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive baseline")
    parser.add_argument("--app", default=str(ROOT / "app.py"), help="the page to measure")
    parser.add_argument("--server-option", action="append", default=[], metavar="KEY=VALUE",
                        help="a Streamlit option for the real servers (e.g. "
                             "runner.postScriptGC=true, to measure a change's effect)")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    _quiet()
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"figures written to {args.out}")
    return 0
