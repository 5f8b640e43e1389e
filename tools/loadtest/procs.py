"""Memory and CPU time of processes: psutil when installed, else Linux's ``/proc``.

psutil is not pinned in ``requirements-dev.txt``; the fallback keeps CI's fresh virtualenv
working. Both give the same figures on Linux (VmRSS, utime + stime).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - depends on the environment
    psutil = None

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # fields after "pid (comm)", from "state"


def rss_mb(pid: int) -> float:
    """Resident set size in MiB."""
    if psutil is not None:
        return psutil.Process(pid).memory_info().rss / 2**20
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise OSError(f"no VmRSS for process {pid}")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far (0 if the process is gone)."""
    with contextlib.suppress(OSError, ProcessLookupError, IndexError, ValueError,
                             *((psutil.Error,) if psutil else ())):
        if psutil is not None:
            return sum(psutil.Process(pid).cpu_times()[:2])
        fields = _stat(pid)
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...)."""
    if psutil is not None:
        with contextlib.suppress(psutil.Error):
            return [p.pid for p in psutil.Process(pid).children(recursive=True)]
        return []
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parents.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found
