"""The performance benchmark (issue 5): ``python -m tools.bench`` (``--quick`` for CI).

One run measures the dashboard and a naive baseline (``tools/bench/naive_app.py``) on the same
machine: a real server process driven by websocket protocol clients (its CPU time per rerun with
Streamlit's post-run work included, reruns per second, memory over many reruns: issue 14),
script time of a first run and of each kind of rerun, the map's bytes per rerun, first load,
navigation and click times in headless Chromium, and how they grow with 10x and 100x records
and with the whole world's countries. See :mod:`tools.bench.cli`.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (``argv`` as on the command line); print the table, write the JSON."""
    from tools.bench.cli import main as run

    return run(argv)
