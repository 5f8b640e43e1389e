"""Run the deployment locally: ``python -m tools.serve [--replicas N] [--port P]``.

Checks the data first (refuses to start when the atlas cannot be served), starts N Streamlit
replicas on loopback (one shared cookie secret, so XSRF tokens hold on any of them), then Debian's
nginx in front of them with ``deploy/nginx.conf``, filled in and written to a temporary folder
(nothing is written into the source tree). Prints the URL and serves until interrupted. The load
test (``python -m tools.loadtest --nginx N``) and the tests use :class:`Deployment`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from geo.data.atlas import DATA_DIR, load_atlas
from geo.data.validate import unservable
from tools.harness import ROOT, free_port, healthy, start_server, stop, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx.conf"


def nginx_conf(prefix: Path, listen: str, ports: list[int]) -> str:
    """``deploy/nginx.conf`` with its placeholders filled."""
    upstreams = "\n        ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                                   for port in ports)
    return (TEMPLATE.read_text("utf-8").replace("@PREFIX@", str(prefix))
            .replace("@LISTEN@", listen).replace("@UPSTREAMS@", upstreams))


@dataclass
class Deployment:
    """N replicas behind nginx on loopback; :meth:`start`, :meth:`kill` one, :meth:`stop`."""

    replicas: int = 2
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    url: str = ""
    folder: Path | None = None

    def start(self) -> Deployment:
        data_dir = self.env.get("ATLAS_DATA_DIR") or os.environ.get("ATLAS_DATA_DIR", DATA_DIR)
        if reason := unservable(load_atlas(data_dir)):
            raise SystemExit(f"refusing to start: {reason} (python -m geo.data.validate)")
        if not Path(NGINX).exists():
            raise SystemExit("nginx is not installed (apt-get install nginx)")
        env = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32), **self.env}
        try:
            for _ in range(self.replicas):
                process, url = start_server(env=env)
                self.processes.append(process)
                self.urls.append(url)
            self.folder = Path(tempfile.mkdtemp(prefix="atlas-nginx-"))
            port = self.port or free_port()
            conf = self.folder / "nginx.conf"
            conf.write_text(nginx_conf(self.folder, f"127.0.0.1:{port}",
                                       [int(u.rsplit(":", 1)[1]) for u in self.urls]), "utf-8")
            self.nginx = subprocess.Popen(
                [NGINX, "-p", str(self.folder), "-c", str(conf), "-e", str(self.folder / "err"),
                 "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            self.url = f"http://127.0.0.1:{port}"
            wait_until(lambda: self.nginx.poll() is not None or healthy(self.url), 30, 0.2,
                       "nginx")
            if self.nginx.poll() is not None:
                log = (self.folder / "err").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"nginx exited: {log}")
        except BaseException:
            self.stop()
            raise
        return self

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def kill(self, index: int) -> str:
        """Kill replica ``index`` at once (SIGKILL, as a crash); its URL."""
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait()
        return self.urls[index]

    def stop(self) -> None:
        if self.nginx is not None:
            stop(self.nginx)
        for process in self.processes:
            if process.poll() is None:
                stop(process)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.serve", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (8080)")
    args = parser.parse_args(argv)
    with Deployment(args.replicas, args.port) as deployment:
        print(f"Alliance Atlas on {deployment.url} (replicas {', '.join(deployment.urls)}); "
              "Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
