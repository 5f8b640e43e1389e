"""``python -m tools.loadtest [--quick] [--protocol] [--sessions N] [--browsers B] [--duration S]
[--nginx N [--kill S]] [--out PATH]``.

``--protocol`` drives websocket protocol clients only (no Chromium): they change the year, the
alliance filter and the country. ``--nginx N`` runs the deployment of ``tools.serve`` (N replicas
behind nginx) and reports memory per replica; ``--kill S`` kills one replica S seconds into the
actions: the other replicas' sessions must see no error, and the killed replica's viewers must get
their view back.

Prints a table of the figures, writes them as JSON (``tools/loadtest/results.json`` by default) and
exits 1 when any error occurred or any session saw another session's selection or upload.
Timings are reported, never judged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from tools.loadtest.runner import RESULTS, Options, run


def signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+}"


def table(figures: dict) -> str:
    """The figures a person reads: one row per line, aligned."""
    latency, memory, errors = figures["latency_ms"], figures["memory_mb"], figures["errors"]
    isolation, config, cpu = figures["isolation"], figures["config"], figures["cpu_s"]

    def ms(name: str, s: dict) -> tuple[str, str]:
        if not s["count"]:
            return name, "-"
        return name, f"p50 {s['p50']} ms, p95 {s['p95']} ms, max {s['max']} ms (n={s['count']})"

    kinds = ", ".join(f"{k} {n}" for k, n in figures["actions"]["by_kind"].items())
    counted = ", ".join(f"{k} {errors[k]}" for k in errors if k not in ("total", "details")
                        and errors[k])
    upload = isolation["upload"]
    if upload["enabled"]:
        uploaded = (f"session {upload['uploaders']} uploaded; it saw its rows: "
                    f"{upload['uploader_saw_own_rows']}; others saw user rows: "
                    f"{upload['others_saw_user_rows']}")
    elif upload["widget_found"] is None:
        uploaded = "not run (protocol clients only: no page to upload from)"
    else:
        uploaded = "disabled" if upload["widget_found"] else \
            "not run (no upload widget on the page)"
    rows = [
        ("mode", f"{figures['mode']}: {config['sessions']} sessions "
                 f"({config['browser_sessions']} Chromium pages, {config['protocol_sessions']} "
                 f"protocol clients; {figures['sessions_opened']} opened), "
                 f"{config['duration_s']:g} s of actions, {config['cpu_count']} CPUs"),
        ("actions", f"{figures['actions']['total']} ({kinds}); "
                    f"{figures['actions']['per_second']}/s"),
        ("errors", f"{errors['total']}" + (f" ({counted})" if counted else "")),
        ms("rerun latency, all", latency["rerun"]),
        ms("  pages (rendered)", latency["browser"]["rerun"]),
        ms("  protocol (run done)", latency["protocol"]["rerun"]),
        *[ms(f"  {kind}", s) for kind, s in latency["by_kind"].items()],
        ms("page load", latency["browser"]["page_load"]),
        ms("first run (protocol)", latency["protocol"]["page_load"]),
        ms("upload", latency["upload"]),
        ("server RSS", f"start {memory['start']} MB, before {memory['before']} MB, "
                       f"all open {memory['loaded']} MB, peak {memory['peak']} MB, "
                       f"end {memory['end']} MB, after {memory['after']} MB"),
        ("memory growth", f"{memory['growth']:+} MB before→after, "
                          f"{memory['growth_during_actions']:+} MB during the actions "
                          f"({signed(memory['growth_second_half'])} MB in their second "
                          "half), "
                          f"~{memory['per_session']} MB per open session"),
        ("CPU during actions", f"server {cpu['actions']['server']} s, Chromium "
                               f"{cpu['actions']['chromium']} s, load test "
                               f"{cpu['actions']['load_test']} s "
                               f"(of {figures['machine']['phases_s']['actions']} s)"),
        ("isolation", f"{'held' if isolation['held'] else 'BROKEN'}: {isolation['checks']} "
                      f"checks, {len(isolation['violations'])} violations"),
        ("upload isolation", uploaded),
        ("replicas", f"{figures['replicas']['count']}"
                     + (" behind nginx" if figures["replicas"]["behind_nginx"] else "")
                     + "; RSS each at the end: "
                     + ", ".join(f"{mb} MB" for mb in figures["replicas"]["memory_mb"]["end"])),
        ("throughput", f"{figures['actions']['per_second']} actions/s"),
    ]
    if failover := figures.get("failover"):
        rows.append(("failover", f"killed {failover['killed']} at {failover['at_s']:g} s: "
                                 f"{len(failover['sessions'])} sessions moved, "
                                 f"{len(failover['recovered'])} got their view back "
                                 f"(p50 {failover['recovery_ms']['p50']} ms, max "
                                 f"{failover['recovery_ms']['max']} ms) on "
                                 f"{', '.join(map(str, failover['replicas_after']))}; "
                                 f"{len(failover['expected_events'])} expected events"))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += [f"  ! {v}" for v in isolation["violations"][:10]]
    lines += [f"  ! {e['kind']} (session {e['session']}, {e['t']} s): {e['detail']}"
              for e in errors["details"][:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.loadtest",
                                     description=__doc__.split("\n\n")[2].split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="CI mode: 5 sessions for 15 s (unless set below)")
    parser.add_argument("--protocol", action="store_true",
                        help="protocol clients only, no Chromium (actions: year, filters, "
                             "country)")
    parser.add_argument("--sessions", type=int, help="concurrent sessions (default 20)")
    parser.add_argument("--browsers", type=int,
                        help="how many of them are Chromium pages (default 4; the rest speak "
                             "Streamlit's websocket protocol)")
    parser.add_argument("--duration", type=float, help="seconds of actions (default 60)")
    parser.add_argument("--timeout", type=float, help="seconds one action may take (default 30)")
    parser.add_argument("--no-upload", action="store_true", help="skip the upload isolation check")
    parser.add_argument("--no-map-clicks", action="store_true",
                        help="select countries with the select box only")
    parser.add_argument("--nginx", type=int, default=0, metavar="N",
                        help="N Streamlit replicas behind nginx (tools.serve) instead of one")
    parser.add_argument("--kill", type=float, metavar="S",
                        help="with --nginx: kill one replica S seconds into the actions")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    args = parser.parse_args(argv)
    changes = {k: v for k, v in {"sessions": args.sessions, "browsers": args.browsers,
                                 "duration": args.duration,
                                 "timeout": args.timeout}.items() if v is not None}
    if args.kill is not None and args.nginx < 2:
        parser.error("--kill needs --nginx 2 or more")
    changes.update(upload=not args.no_upload, map_clicks=not args.no_map_clicks, out=args.out,
                   nginx=args.nginx, kill=args.kill)
    options = Options.quick(**changes) if args.quick else Options(**changes)
    if args.protocol:
        options = options.protocol_only()
    figures = asyncio.run(run(options))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    print(table(figures))
    print(f"figures written to {options.out}")
    return 0 if passed(figures) else 1


def passed(figures: dict) -> bool:
    """No error, isolation held and, after a failover, every moved session recovered."""
    failover = figures.get("failover")
    return figures["errors"]["total"] == 0 and figures["isolation"]["held"] and (
        failover is None or sorted(failover["recovered"]) == sorted(failover["sessions"]))


if __name__ == "__main__":
    sys.exit(main())
