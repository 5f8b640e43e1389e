"""Server time and map payload of a Streamlit page, measured in process with ``AppTest``.

Two hooks do the measuring: the script runner's ``exec_func_with_error_handling`` is timed (the
script's own run, without ``AppTest``'s bookkeeping), and the map's component (the app's
``ui.map_component._frontend``; ``streamlit_folium._component_func`` for the naive page's
``st_folium``) is wrapped to weigh its arguments exactly as Streamlit serialises them
(``json.dumps`` of every argument; the callback stays on the server).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tools.harness import percentiles

RERUNS = ("year", "alliances", "activities", "mode", "country")
MODES = ("alliances", "shared", "cooperation")


@dataclass
class Probe:
    """What the hooks saw: one script time (s) per run, one map payload (bytes) per map.

    ``weighing_s`` is the time spent weighing maps during the current run: it is taken off
    the script time, so measuring does not count as work.
    """

    script_s: list[float] = field(default_factory=list)
    map_bytes: list[int] = field(default_factory=list)
    weighing_s: float = 0.0


@contextmanager
def hooks() -> Iterator[Probe]:
    """Time every script run and weigh every map for as long as the context is open."""
    import streamlit.runtime.scriptrunner.script_runner as runner
    import streamlit_folium

    from ui import map_component

    probe = Probe()
    run_script = runner.exec_func_with_error_handling
    components = [(streamlit_folium, "_component_func"), (map_component, "_frontend")]
    originals = [getattr(module, name) for module, name in components]

    def timed(func, ctx):
        probe.weighing_s = 0.0
        start = time.perf_counter()
        try:
            return run_script(func, ctx)
        finally:
            probe.script_s.append(time.perf_counter() - start - probe.weighing_s)

    def weighing(component):
        def weighed(**kwargs):
            start = time.perf_counter()
            args = {k: v for k, v in kwargs.items() if k != "on_change"}
            probe.map_bytes.append(len(json.dumps(args).encode()))
            probe.weighing_s += time.perf_counter() - start
            return component(**kwargs)
        return weighed

    runner.exec_func_with_error_handling = timed
    for (module, name), component in zip(components, originals, strict=True):
        setattr(module, name, weighing(component))
    try:
        yield probe
    finally:
        runner.exec_func_with_error_handling = run_script
        for (module, name), component in zip(components, originals, strict=True):
            setattr(module, name, component)


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables (the page reads ``ATLAS_DATA_DIR`` on every run)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def summary(seconds: list[float]) -> dict:
    """Median and 90th percentile in milliseconds, and how many runs."""
    figures = percentiles([s * 1000 for s in seconds])
    return {"median_ms": figures["p50"], "p90_ms": figures["p90"], "n": figures["count"]}


@dataclass(frozen=True)
class Choices:
    """The values the reruns move between (from the atlas the page shows)."""

    last_year: int
    first_year: int
    orgs: tuple[str, ...]
    activities: tuple[str, ...]
    evidence: tuple[str, ...]
    states: tuple[str, ...]

    @classmethod
    def of(cls, atlas) -> Choices:
        from geo import ACTIVITIES, EVIDENCE

        states = atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
        return cls(atlas.last_year, atlas.first_year, tuple(sorted(atlas.organisations["org_id"])),
                   tuple(ACTIVITIES), tuple(EVIDENCE), tuple(sorted(states)))

    def defaults(self) -> dict:
        return {"year": self.last_year, "alliances": list(self.orgs),
                "activities": list(self.activities), "evidence": list(self.evidence),
                "mode": "cooperation", "country": None}

    def setup(self, kind: str, i: int) -> dict:
        """What to set, untimed, before the ``i``-th change of a kind, so that the change leads
        to a view the session has not seen (only the three colour modes need it)."""
        if kind == "mode":
            return {"year": self.first_year + 1 + i % (self.last_year - self.first_year - 1)}
        return {}

    def change(self, kind: str, i: int) -> tuple[str, object]:
        """The ``i``-th change of one kind: a value different from the previous one, and a
        view not seen before (as long as the vocabularies allow)."""
        if kind == "year":
            span = self.last_year - self.first_year
            return "year", self.last_year - 1 - (i % span)
        if kind == "alliances":
            return "alliances", _leave_out(self.orgs, i)
        if kind == "activities":
            return "activities", _leave_out(self.activities, i)
        if kind == "mode":
            return "mode", MODES[i % len(MODES)]
        if kind == "country":
            return "country", self.states[(7 * i) % len(self.states)]
        raise ValueError(kind)


def _leave_out(values: tuple[str, ...], i: int) -> list[str]:
    """All but one value (the ``i``-th), then all but two neighbours once those run out."""
    n = len(values)
    out = {values[i % n]} | ({values[(i + 1) % n]} if i >= n else set())
    return [v for v in values if v not in out]


def _new_app(script: Path):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(script), default_timeout=900)


def _run(app, probe: Probe) -> tuple[float, float, int | None]:
    """Run once; (script seconds, wall seconds, map bytes or None). Fails on a page error."""
    import streamlit.logger

    before = len(probe.map_bytes)
    start = time.perf_counter()
    app.run()
    wall = time.perf_counter() - start
    streamlit.logger.set_log_level("ERROR")  # AppTest resets it to INFO: keep the table readable
    if app.exception:
        raise RuntimeError(f"the page failed: {app.exception[0].message}")
    weighed = probe.map_bytes[before:]
    return probe.script_s[-1], wall, (weighed[-1] if weighed else None)


def measure(script: Path, choices: Choices, *, env: dict[str, str], first_runs: int,
            reruns: int, kinds: tuple[str, ...] = RERUNS, warm: bool = True,
            log: Callable[[str], None] = print) -> dict:
    """First runs (every cache cleared) and ``reruns`` reruns of each kind, on one page.

    Each timed rerun leads to a view the server has not drawn before (so the page's own
    caches keyed by the view miss, while whatever the page caches by less than the whole
    view may hit, as it would for a briefer); the atlas (``st.cache_resource``) stays loaded,
    as on a running server. With ``warm``, the first change of each kind is made once untimed
    (it may run code paths nothing ran before).
    """
    import streamlit as st
    import streamlit.logger

    streamlit.logger.set_log_level("ERROR")
    result: dict = {"first_run": {}, "reruns": {}, "map_bytes": {}}
    with environment(env), hooks() as probe:
        app = _new_app(script)
        _run(app, probe)  # imports the page's modules: the first runs below do not pay for it
        script_s, wall_s, first_bytes = [], [], []
        for _ in range(first_runs):
            st.cache_data.clear()
            st.cache_resource.clear()
            s, w, b = _run(_new_app(script), probe)
            script_s.append(s)
            wall_s.append(w)
            first_bytes.append(b)
        result["first_run"] = {**summary(script_s), "wall_median_ms": summary(wall_s)["median_ms"]}
        result["map_bytes"]["first_run"] = first_bytes[-1]
        log(f"    first run: {result['first_run']['median_ms']} ms")
        for kind in kinds:
            for key, value in choices.defaults().items():
                app.session_state[key] = value
            _run(app, probe)  # back to the default view, untimed
            script_s, wall_s, sizes = [], [], []
            for i in range(reruns + warm):
                if setup := choices.setup(kind, i):
                    for key, value in setup.items():
                        app.session_state[key] = value
                    _run(app, probe)
                key, value = choices.change(kind, i)
                app.session_state[key] = value
                s, w, b = _run(app, probe)
                if i or not warm:
                    script_s.append(s)
                    wall_s.append(w)
                    sizes.append(b)
            result["reruns"][kind] = {**summary(script_s),
                                      "wall_median_ms": summary(wall_s)["median_ms"]}
            known = [b for b in sizes if b is not None]
            result["map_bytes"][kind] = int(statistics.median(known)) if known else None
            log(f"    {kind}: {result['reruns'][kind]['median_ms']} ms, "
                f"map {result['map_bytes'][kind]} B")
    return result
