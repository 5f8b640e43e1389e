"""Browser assets served by the app itself, so the map works with no internet at all.

Leaflet is third-party code: it is installed from PyPI (``django-js-lib-leaflet`` ships
Leaflet 1.9.4's ``dist`` files and needs nothing else) and copied, never committed, into
the app's static folder, which Streamlit serves under ``/app/static/``.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

LEAFLET_PACKAGE = "js_lib_leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                 "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png")
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
VENDOR = "vendor/leaflet"


def leaflet_dist() -> Path:
    """The folder holding Leaflet's ``dist`` files in the installed package (not imported)."""
    spec = importlib.util.find_spec(LEAFLET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Leaflet is missing: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / LEAFLET_PACKAGE


def install_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet into ``static_dir/vendor/leaflet`` (only what changed); return that folder."""
    source, target = leaflet_dist(), static_dir / VENDOR
    for name in LEAFLET_FILES:
        src, dst = source / name, target / name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    return target


def leaflet_urls(base_url: str = "") -> tuple[str, str]:
    """(script, stylesheet) URLs of the served copy, under Streamlit's ``/app/static``."""
    root = f"/{base_url.strip('/')}/app/static/{VENDOR}" if base_url.strip("/") else (
        f"/app/static/{VENDOR}")
    return f"{root}/leaflet.js", f"{root}/leaflet.css"


def leaflet_inline() -> tuple[str, str]:
    """(script, stylesheet) text, for a standalone HTML file that needs no server."""
    dist = leaflet_dist()
    return (dist / "leaflet.js").read_text("utf-8"), (dist / "leaflet.css").read_text("utf-8")
