"""What one real server process costs: CPU per rerun, reruns per second, memory over many reruns.

A ``streamlit run`` server (the repository's ``.streamlit/config.toml``, so Streamlit's own
post-run work such as ``runner.postScriptGC`` is included) is driven over its websocket by
protocol clients (:class:`tools.loadtest.protocol.ProtocolSession`), which cost the server what a
page costs and run in this process, not the server's. The server's CPU time (user + system, from
``/proc`` or psutil) is read before and after a series of reruns, once the process is idle again:
everything the server did for those reruns is counted, whatever thread did it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from tools.harness import start_server, stop
from tools.loadtest import procs
from tools.loadtest.protocol import ProtocolSession
from tools.loadtest.session import Plan

ACTIONS = {"year": "change_year", "filters": "change_filters", "country": "change_country"}


def _viewer(index: int, url: str, atlas, years: list[int], countries: list[str],
            timeout_s: float) -> ProtocolSession:
    from ui.sidebar import org_label

    names = dict(zip(atlas.countries["iso3"], atlas.countries["name_en"], strict=True))
    return ProtocolSession(Plan(index, countries, years, client="protocol"), url, names,
                           atlas.last_year, timeout_ms=timeout_s * 1000,
                           alliances=tuple(map(org_label, sorted(atlas.organisations["org_id"]))))


async def idle(pid: int, quiet_s: float = 0.15, timeout_s: float = 30) -> float:
    """Wait until the server has used at most one clock tick (10 ms) of CPU over ``quiet_s``;
    its CPU seconds then."""
    deadline = time.monotonic() + timeout_s
    before = procs.cpu_s(pid)
    while True:
        await asyncio.sleep(quiet_s)
        now = procs.cpu_s(pid)
        if now - before < 1.5 / procs.TICKS or time.monotonic() > deadline:  # 0 or 1 tick
            return now
        before = now


async def cpu_per_rerun(url: str, pid: int, atlas, runs: int, log: Callable[[str], None],
                        rounds: int = 3) -> dict:
    """Server CPU milliseconds per rerun for each action: ``rounds`` rounds (the actions
    interleaved) of ``runs`` back-to-back reruns each, one untimed first; the median round
    (one series on a shared machine swings by a third). Every year and filter change leads
    to a view the server has not drawn."""
    states = sorted(atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"])
    years = list(range(atlas.first_year, atlas.last_year))
    viewer = _viewer(0, url, atlas, years, [s for s in states if s != "CUB"], 120)
    await viewer.open()
    series: dict[str, list[tuple[float, float]]] = {kind: [] for kind in ACTIONS}
    try:
        for _ in range(rounds):
            for kind, method in ACTIONS.items():
                await getattr(viewer, method)()  # untimed: code paths run for the first time
                before = await idle(pid)
                start = time.perf_counter()
                for _ in range(runs):
                    await getattr(viewer, method)()
                wall = time.perf_counter() - start
                used = await idle(pid) - before
                series[kind].append((used * 1000 / runs, wall * 1000 / runs))
    finally:
        await viewer.close()
    out: dict = {}
    for kind, measured in series.items():
        cpu, wall = sorted(measured)[len(measured) // 2]
        out[kind] = {"cpu_ms_per_rerun": round(cpu, 1), "wall_ms_per_rerun": round(wall, 1),
                     "n": runs, "rounds_cpu_ms": [round(c, 1) for c, _ in measured]}
        log(f"    {kind}: {out[kind]['cpu_ms_per_rerun']} ms CPU per rerun, median of "
            f"{rounds} rounds {out[kind]['rounds_cpu_ms']} ({out[kind]['wall_ms_per_rerun']} ms "
            "wall)")
    out["errors"] = len(viewer.errors)
    return out


async def throughput(url: str, pid: int, atlas, clients: int, seconds: float,
                     log: Callable[[str], None]) -> dict:
    """Reruns per second of the one process: ``clients`` sessions each change the year and
    the filters back to back (each waits for its run to finish), for ``seconds``."""
    states = sorted(s for s in atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
                    if s != "CUB")
    years = list(range(atlas.first_year, atlas.last_year))
    block = len(years) // clients
    viewers = [_viewer(i, url, atlas, years[i * block:(i + 1) * block], states[i::clients], 120)
               for i in range(clients)]
    await asyncio.gather(*(v.open() for v in viewers))
    await idle(pid)
    before = procs.cpu_s(pid)
    deadline = time.monotonic() + seconds

    async def drive(viewer: ProtocolSession) -> None:
        turn = 0
        while time.monotonic() < deadline:
            await (viewer.change_filters() if turn % 3 == 2 else viewer.change_year())
            turn += 1

    start = time.perf_counter()
    await asyncio.gather(*(drive(v) for v in viewers))
    wall = time.perf_counter() - start
    cpu = procs.cpu_s(pid) - before
    for viewer in viewers:
        await viewer.close()
    done = sum(len(v.actions) for v in viewers)
    out = {"reruns_per_s": round(done / wall, 2), "reruns": done, "clients": clients,
           "seconds": round(wall, 1), "server_cpu_share": round(cpu / wall, 2),
           "reruns_per_cpu_s": round(done / cpu, 2) if cpu else None,
           "errors": sum(len(v.errors) for v in viewers)}
    log(f"    {out['reruns_per_s']} reruns/s with {clients} clients back to back "
        f"(server used {out['server_cpu_share']:.0%} of a core: "
        f"{out['reruns_per_cpu_s']} reruns per CPU second)")
    return out


async def memory(url: str, pid: int, atlas, reruns: int, every: int,
                 log: Callable[[str], None]) -> dict:
    """The server's resident memory every ``every`` reruns over ``reruns`` reruns of one
    session: year, year, filters, ... over 30 views (10 years, 3 alliance filters), so the
    caches fill in the first tenth and any later growth is memory the reruns keep."""
    states = sorted(s for s in atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
                    if s != "CUB")
    years = list(range(atlas.last_year - 11, atlas.last_year - 1))
    viewer = _viewer(0, url, atlas, years, states[:1], 120)
    viewer.alliances = viewer.alliances[:2]  # filters: all but one of two, none, ... (3)
    await viewer.open()
    samples = [(0, round(procs.rss_mb(pid), 1))]
    try:
        for i in range(1, reruns + 1):
            await (viewer.change_filters() if i % 3 == 0 else viewer.change_year())
            if i % every == 0:
                await idle(pid)
                samples.append((i, round(procs.rss_mb(pid), 1)))
    finally:
        await viewer.close()
    warm = next((mb for n, mb in samples if n >= reruns // 10), samples[0][1])
    out = {"rss_mb": samples, "reruns": reruns, "after_tenth_mb": warm,
           "end_mb": samples[-1][1], "growth_after_tenth_mb": round(samples[-1][1] - warm, 1),
           "errors": len(viewer.errors)}
    log(f"    RSS over {reruns} reruns: {samples[0][1]} -> {warm} (after {reruns // 10}) -> "
        f"{out['end_mb']} MB")
    return out


def measure(app: Path, atlas, *, runs: int, clients: int, seconds: float, reruns: int,
            env: dict[str, str] | None = None, args: tuple[str, ...] = (),
            log: Callable[[str], None] = print) -> dict:
    """Every server-process figure, on one fresh server (``args``: extra server options)."""
    process, url = start_server(env or {}, app, args=args)
    try:
        async def every() -> dict:
            viewer = _viewer(-1, url, atlas, [atlas.first_year], ["VEN"], 300)
            await viewer.open()  # loads the atlas: not counted
            await viewer.close()
            idle_before = procs.cpu_s(process.pid)
            await asyncio.sleep(1)
            idle_rate = procs.cpu_s(process.pid) - idle_before
            return {"idle_cpu_ms_per_s": round(idle_rate * 1000, 1),
                    "cpu": await cpu_per_rerun(url, process.pid, atlas, runs, log),
                    "throughput": await throughput(url, process.pid, atlas, clients, seconds,
                                                   log),
                    "memory": await memory(url, process.pid, atlas, reruns,
                                           max(1, reruns // 10), log)}

        return {"server_args": list(args), **asyncio.run(every())}
    finally:
        stop(process)
