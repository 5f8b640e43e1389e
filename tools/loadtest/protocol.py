"""A viewer without a browser: Streamlit's websocket protocol, spoken as the frontend speaks it.

It connects to ``/_stcore/stream`` like a page (same origin), asks for a run with the URL's
query string, then sends the widget changes a person would make: one slider step
(``double_array_value``), the alliances filter (``string_array_value``, the shown labels), a
country in the select box (``string_value``, the shown name) or the "Clear selection" button
(``trigger_value``). A widget drawn in a fragment (the country box, the button) reruns that
fragment only, as the frontend asks (``fragment_id``). Every message the server sends is
decoded; the result of an action is the first *finished* run that shows the expected heading,
status year and URL. It costs the server exactly what a page costs and the client almost
nothing, which is what lets many sessions run on a small machine next to a few real pages.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tools.loadtest.session import MARKER, ActionTimeout, Viewer, now_ms, replica

YEAR_SLIDER = "Year (memberships as of 1 July)"
COUNTRY_BOX = "Country"
ALLIANCES = "alliances"  # the multiselect's key (its label is the page's to change)
CLEAR_BUTTON = "Clear selection"
STATUS = re.compile(r"^In (\d{4}): ")
FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass
class ProtocolSession(Viewer):
    """One Streamlit session driven over its websocket."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.ws = None
        self.reader: asyncio.Task | None = None
        self.query = ""  # the URL's query string, as the server last set it
        self.page_hash = ""
        self.widgets: dict[str, str] = {}  # label -> widget id, learnt from the elements
        self.fragments: dict[str, str] = {}  # widget id -> the fragment drawing it
        self.current: dict | None = None  # what the last finished run showed, with "at"
        self.changed = asyncio.Event()
        self.history = {"headings": [], "years": [], "searches": [], "exceptions": [],
                        "userRows": 0, "marker": 0}
        self._run = self._new_run()

    @staticmethod
    def _new_run() -> dict:
        return {"headings": [], "year": None, "user": 0}

    # -- receiving ---------------------------------------------------------------------------
    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                self._receive(raw)
        except websockets.ConnectionClosed:
            pass
        except Exception as error:  # a message this client cannot read
            self._error("driver_error", f"{type(error).__name__}: {error}")
            await self.ws.close()
            return
        self._error("disconnect", f"websocket closed: {self.ws.close_code} {self.ws.close_reason}")

    def _receive(self, raw: bytes) -> None:
        if MARKER.encode() in raw:  # anywhere: panel, map data, exports
            self.history["marker"] += 1
        msg = ForwardMsg.FromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self._run = self._new_run()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, msg.delta.fragment_id)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
            self._add("searches", self.query)
        elif kind == "script_finished":
            if msg.script_finished in (FINISHED.FINISHED_SUCCESSFULLY,
                                       FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                params = parse_qs(self.query)
                self.current = {
                    "heading": self._run["headings"][-1] if self._run["headings"] else None,
                    "year": self._run["year"], "country": params.get("country", [None])[-1],
                    "yearParam": params.get("year", [None])[-1], "userRows": self._run["user"],
                    "at": now_ms()}
                self.changed.set()
            elif msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                self._error("exception", "the script failed to compile")
        elif kind == "session_event" and msg.session_event.HasField(
                "script_compilation_exception"):
            self._error("exception", msg.session_event.script_compilation_exception.message)
        elif kind == "ref_hash":  # never asked for: this client reports no cached messages
            self._error("driver_error", "unexpected cached-message reference")

    def _element(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "heading" and element.heading.tag == "h3":
            self._run["headings"].append(element.heading.body)
            self._add("headings", element.heading.body)
        elif kind == "markdown":
            body = element.markdown.body
            if match := STATUS.match(body):
                self._run["year"] = int(match.group(1))
                self._add("years", self._run["year"])
            if 'class="badge user"' in body:
                self._run["user"] += body.count('class="badge user"')
                self.history["userRows"] = max(self.history["userRows"], self._run["user"])
        elif kind == "exception":
            self._add("exceptions", f"{element.exception.type}: {element.exception.message}")
        elif kind in ("slider", "selectbox", "multiselect", "button"):
            widget = getattr(element, kind)
            self.widgets[widget.label] = widget.id
            self.fragments[widget.id] = fragment_id

    def _add(self, name: str, value) -> None:
        if value not in self.history[name]:
            self.history[name].append(value)

    # -- sending -----------------------------------------------------------------------------
    async def _rerun(self, widget: WidgetState | None = None) -> None:
        """What the frontend sends: the URL's query string and the widget that changed.

        Widgets not sent keep their values on the server (as when the frontend sends them).
        """
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.context_info.url = f"{self.base_url}/"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        if widget is not None:
            state.widget_states.widgets.append(widget)
            if fragment := self.fragments.get(widget.id):
                state.fragment_id = fragment
                self._run = self._new_run()  # a fragment's run starts no new session
        await self.ws.send(msg.SerializeToString())

    async def _shows(self, expected: dict, since: float) -> float:
        """Wait for a finished run showing ``expected``; the time it finished (ms)."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while True:
            s = self.current
            if s and s["at"] >= since and all(
                    s[k] == expected[k] for k in ("heading", "year", "country", "yearParam")) \
                    and (not expected["userRows"] or s["userRows"]):
                return s["at"]
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                raise ActionTimeout(f"no run showed it within {self.timeout_ms / 1000:g} s") \
                    from None

    async def _act(self, kind: str, widget: WidgetState) -> None:
        start = now_ms()
        await self._rerun(widget)
        self._record(kind, await self._shows(self.expected(), start) - start)

    # -- what a viewer does ------------------------------------------------------------------
    async def open(self) -> None:
        url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], origin=self.base_url,
                                           max_size=None, open_timeout=self.timeout_ms / 1000)
        self.reader = asyncio.create_task(self._read())
        self.replica = replica(self.ws.response.headers)
        self.query = self.url_query()
        self._add("searches", self.query)
        start = now_ms()
        await self._rerun()
        self.load_ms = await self._shows(self.expected(), start) - start
        await self.check()

    async def reconnect(self, since: float) -> None:
        """As the frontend does: a new websocket (to another replica) asking for the URL's view
        (the last one a run of the killed replica put in the URL)."""
        params = parse_qs(self.query)
        self.country = params.get("country", [None])[-1]
        self.year = int(params.get("year", [self.default_year])[-1])
        load_ms = self.load_ms
        await self.open()
        self.load_ms = load_ms

    async def change_year(self) -> None:
        self.next_year()
        widget = WidgetState(id=self.widgets[YEAR_SLIDER])
        widget.double_array_value.data.append(self.year)
        await self._act("year", widget)

    async def change_country(self) -> None:
        if len(self.plan.countries) == 1:
            self.country = None
            await self._act("clear", WidgetState(id=self.widgets[CLEAR_BUTTON],
                                                 trigger_value=True))
            self.country = self.plan.countries[0]
        else:
            self.next_country()
        await self._act("select", WidgetState(id=self.widgets[COUNTRY_BOX],
                                              string_value=self.names[self.country]))

    async def change_filters(self) -> None:
        """Leave one alliance out of the filter (the next one each time; all but one in turn)."""
        widget = WidgetState(id=next(i for i in self.widgets.values()
                                     if i.endswith(f"-{ALLIANCES}")))  # ids end with the key
        widget.string_array_value.data.extend(self.next_filter())
        await self._act("filters", widget)

    async def upload(self) -> None:
        raise NotImplementedError("uploads are made by browser sessions")

    async def log(self) -> dict:
        return self.history

    async def state(self) -> dict | None:
        return self.current

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
