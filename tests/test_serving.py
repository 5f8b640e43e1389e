"""Serving: .streamlit/config.toml for a shared deployment, and what the real server sends.

The file's security-relevant values are asserted exactly; Streamlit itself must read them
(each key is a real option of the installed version); and a real server, started as in the
end-to-end tests, is asked over HTTP and its websocket what a browser or an attacker would get.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NewSession_pb2 import Config
from streamlit.proto.WidgetStates_pb2 import WidgetState

from geo.io.upload import MAX_BYTES
from tools.harness import ROOT, start_server

pytestmark = pytest.mark.slow

CONFIG = ROOT / ".streamlit" / "config.toml"
EXPECTED = {
    "browser.gatherUsageStats": False,
    "server.headless": True,
    "server.enableStaticServing": False,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,  # CORS *protection* on: no cross-origin sharing
    "server.corsAllowedOrigins": [],
    "server.maxUploadSize": 5,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "client.showErrorDetails": "none",
    "client.showErrorLinks": False,
    "client.toolbarMode": "minimal",
    "runner.fastReruns": True,
    "runner.postScriptGC": False,
}
EVIL = "http://evil.example"


def settings() -> dict[str, object]:
    table = tomllib.loads(CONFIG.read_text("utf-8"))
    return {f"{section}.{key}": value for section, options in table.items()
            for key, value in options.items()}


def test_the_config_sets_exactly_the_reviewed_values():
    found = settings()
    assert {key: found.get(key) for key in EXPECTED} == EXPECTED


def test_the_loaded_atlas_is_frozen_out_of_garbage_collection():
    """With ``runner.postScriptGC`` off, the long-lived atlas must not be walked by the
    collector on every rerun: loading it freezes everything alive (``gc.freeze``)."""
    import gc

    from geo import DATA_DIR
    from ui import cache

    cache.atlas.clear()
    gc.unfreeze()
    try:
        loaded = cache.atlas(str(DATA_DIR))
        assert gc.get_freeze_count() > 0 and gc.is_tracked(loaded.records)
        assert not any(o is loaded.records for o in gc.get_objects())  # frozen, not collected
        gc.unfreeze()
        assert any(o is loaded.records for o in gc.get_objects())  # the check can fail
    finally:
        gc.unfreeze()
        cache.atlas.clear()


def test_the_upload_cap_is_above_the_apps_own_limit_so_its_message_is_shown():
    assert MAX_BYTES <= settings()["server.maxUploadSize"] * 1_000_000 <= 10 * MAX_BYTES


def test_streamlit_reads_every_key_from_this_file(tmp_path):
    """Every key is an option of the installed Streamlit, and it takes the file's value."""
    script = ("import json; from streamlit import config; o = config.get_config_options(); "
              "print(json.dumps({k: [v.value, v.where_defined] for k, v in o.items()}))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "HOME": str(tmp_path)})
    options = json.loads(out.stdout)
    for key, value in EXPECTED.items():
        assert key in options, f"{key} is not an option of this Streamlit"
        assert options[key] == [value, str(CONFIG)], key


@pytest.fixture(scope="module")
def server():
    process, url = start_server()
    yield url
    process.terminate()
    process.wait(timeout=20)


def get(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_health_check_answers_ok(server):
    status, _, body = get(f"{server}/_stcore/health")
    assert (status, body) == (200, b"ok")


@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
@pytest.mark.parametrize("path", ["/_stcore/health", "/_stcore/host-config", "/"])
def test_another_origin_gets_no_cors_permission(server, path, method):
    """Streamlit 1.67 with enableCORS=true sends no Access-Control-Allow-Origin to a foreign
    origin (with enableCORS=false it would send '*')."""
    status, headers, _ = get(f"{server}{path}", method, {
        "Origin": EVIL, "Access-Control-Request-Method": "GET"})
    assert status in (200, 204, 405)  # OPTIONS: 204 on /_stcore/health, 405 elsewhere
    assert headers.get("Access-Control-Allow-Origin") is None
    assert headers.get("Access-Control-Allow-Credentials") is None


def test_an_upload_without_the_xsrf_token_is_refused(server):
    status, _, body = get(f"{server}/_stcore/upload_file/some-session/some-file", "PUT",
                          {"Origin": EVIL, "Content-Type": "text/csv"}, b"country\nVEN\n")
    assert status == 403
    assert b"XSRF" in body


def test_leaflet_is_served_locally_as_javascript(server):
    """From the installed package, registered by the first run (nothing copied to static/)."""
    first_run(server)
    status, headers, body = get(f"{server}/component/ui.cache.leaflet/leaflet.js")
    assert status == 200
    assert headers.get_content_type() in ("application/javascript", "text/javascript")
    assert b"Leaflet" in body[:200]
    assert get(f"{server}/component/ui.cache.leaflet/../../app.py")[0] in (400, 404)


async def _first_run(url: str, origin: str | None = None) -> list[ForwardMsg]:
    """Open the app's websocket from ``origin`` and collect the messages of its first run."""
    stream = "ws" + url.removeprefix("http") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], origin=origin,
                                  max_size=None, open_timeout=20) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await ws.send(msg.SerializeToString())
        messages = []
        while True:
            message = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), 60))
            messages.append(message)
            if message.WhichOneof("type") == "script_finished":
                return messages


def first_run(url: str, origin: str | None = None) -> list[ForwardMsg]:
    """:func:`_first_run` on its own event loop (Playwright's may be running in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _first_run(url, origin)).result()


def test_a_websocket_from_another_origin_is_refused(server):
    with pytest.raises(websockets.InvalidStatus) as refused:
        first_run(server, EVIL)
    assert refused.value.response.status_code == 403


def test_the_page_gets_the_minimal_toolbar_and_the_upload_cap(server):
    messages = first_run(server, server)  # same origin, as the browser
    config = next(m.new_session.config for m in messages if m.HasField("new_session"))
    assert config.toolbar_mode == Config.ToolbarMode.MINIMAL
    assert not config.gather_usage_stats
    assert config.show_error_links == Config.ShowErrorLinks.SHOW_ERROR_LINKS_FALSE
    uploaders = [m.delta.new_element.file_uploader for m in messages
                 if m.HasField("delta") and m.delta.new_element.HasField("file_uploader")]
    assert uploaders, "the records upload is on the page"
    assert {u.max_upload_size_mb for u in uploaders} == {5}
    assert not any(m.delta.new_element.HasField("exception") for m in messages
                   if m.HasField("delta"))


def test_a_crash_shows_viewers_no_type_message_or_traceback(tmp_path):
    """With this config, an uncaught exception reaches the page as a generic message only."""
    crash = tmp_path / "crash.py"  # run from the project root, so with the project's config
    crash.write_text('raise ValueError("secret detail in /srv/app.py")\n')
    process, url = start_server(script=crash)
    try:
        messages = first_run(url, url)
    finally:
        process.terminate()
        process.wait(timeout=20)
    shown = [m.delta.new_element.exception for m in messages
             if m.HasField("delta") and m.delta.new_element.HasField("exception")]
    assert len(shown) == 1
    assert "secret" not in str(shown[0]) and "ValueError" not in str(shown[0])
    assert list(shown[0].stack_trace) == []


def get_or_none(url: str) -> int | None:
    try:
        return get(url)[0]
    except OSError:
        return None


async def _run(ws, query: str, *widgets: WidgetState) -> list[ForwardMsg]:
    """Ask for a run (as the frontend does) and collect its messages, up to the end of the
    last run it leads to (a run that ends early for another is followed by that one)."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.widget_states.widgets.extend(widgets)
    await ws.send(msg.SerializeToString())
    messages = []
    while True:
        message = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), 60))
        messages.append(message)
        if message.WhichOneof("type") == "script_finished" and message.script_finished != \
                ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
            return messages


async def _reconnect_with_a_click(url: str,
                                  country: str | None = None) -> tuple[float, list[str]]:
    """A page's slider id from one session; then a new session whose first message is that
    slider moved to 1975 while the URL still says 1990 (a page reconnecting to another
    replica), with the country box showing ``country`` (a name) when given. The slider value
    the page shows after that run, and the URL queries it sets."""
    stream = "ws" + url.removeprefix("http") + "/_stcore/stream"
    connect = {"subprotocols": ["streamlit"], "max_size": None, "open_timeout": 20}
    async with websockets.connect(stream, **connect) as ws:
        first = await _run(ws, "year=1990")
    elements = [m.delta.new_element for m in first if m.WhichOneof("type") == "delta"]
    slider = next(e.slider for e in elements if e.WhichOneof("type") == "slider")
    widget = WidgetState(id=slider.id)
    widget.double_array_value.data.append(1975)
    widgets = [widget]
    if country:
        box = next(e.selectbox for e in elements if e.WhichOneof("type") == "selectbox"
                   and e.selectbox.label == "Country")
        widgets.append(WidgetState(id=box.id, string_value=country))
    async with websockets.connect(stream, **connect) as ws:
        run = await _run(ws, "year=1990", *widgets)
    value = next(m.delta.new_element.slider for m in run if m.WhichOneof("type") == "delta"
                 and m.delta.new_element.WhichOneof("type") == "slider")
    query = [m.page_info_changed.query_string for m in run
             if m.WhichOneof("type") == "page_info_changed"]
    shown = value.value[0] if value.set_value else 1975  # unset: the page keeps its own value
    return shown, query


def test_a_new_sessions_first_click_wins_over_the_url(server):
    """Issue 9: the click a reconnected page sends first is not overwritten by the URL."""
    with ThreadPoolExecutor(1) as pool:  # its own event loop (Playwright's may be running)
        value, queries = pool.submit(asyncio.run, _reconnect_with_a_click(server)).result()
    assert value == 1975
    assert queries and all("year=1975" in q for q in queries)


def test_a_reconnected_page_keeps_the_country_its_box_shows(server):
    """The country box is drawn after the view is read (in the map's fragment): the page's
    value for it still wins over a URL without it, and no URL without it is written."""
    with ThreadPoolExecutor(1) as pool:
        _, queries = pool.submit(asyncio.run,
                                 _reconnect_with_a_click(server, "Brazil")).result()
    assert queries and all("country=BRA" in q and "year=1975" in q for q in queries)
