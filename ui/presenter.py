"""The presenter's tools: presentation mode's title block (with the stop's title and note), the
presenter bar (stops, play, presentation toggle, keyboard and clicker shortcuts) and stepping
through the deck.

Widget state is only ever set in callbacks or at the top of a run, before the widgets are drawn
(:func:`advance`): Play's timer is a fragment that asks for the next year and reruns the app.
"""

from __future__ import annotations

import time
from html import escape

import streamlit as st

from geo import Atlas
from geo.render.webmap import REGION_EXTENT
from geo.view.deck import Stop, stop_fields
from geo.view.scene import Scene, describe
from geo.view.state import View
from ui.plain import shorten
from ui.state import deck

PLAY_SECONDS = 1.0  # from one year drawn to the next step (a step takes about 1.5 s in all)
PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] { display: none; }
.block-container { padding-top: 1rem; padding-bottom: 0; max-width: 100%; }
.atlas-title .headline { font-size: 1.9rem; font-weight: 700; line-height: 1.15; }
.atlas-title .year { font-size: 2.4rem; margin-right: .5rem; }
.atlas-title .filters { font-size: 1.1rem; }
.atlas-title .note { font-size: 1.15rem; margin: .2rem 0; white-space: pre-line; }
.atlas-title .source { font-size: .9rem; color: #444; }
</style>"""


def current_stop(view: View) -> tuple[int, Stop] | None:
    """The deck's stop the page shows now (its number and the stop), if it still shows it."""
    index = st.session_state.get("_stop")
    stops = deck()
    if index is None or not 0 <= index < len(stops):
        return None
    stop = stops[index]
    if any(getattr(stop.view, f) != getattr(view, f) for f in stop_fields()):
        return None  # the presenter has moved on from the stop
    return index, stop


def title_block(atlas: Atlas, scene: Scene) -> None:
    """Presentation mode: controls hidden; the stop's title and note (else the atlas's title),
    the year, the filters in words and the source line on the page."""
    n = len(scene.sources)
    at = current_stop(scene.view)
    st.session_state["_titled"] = at  # the map's fragment reruns the page when this changes
    headline = escape(at[1].title) if at and at[1].title else (
        "Cuba's alliances and security cooperation")
    note = f'<div class="note">{escape(at[1].note)}</div>' if at and at[1].note else ""
    st.html(PRESENT_CSS)
    st.markdown(
        f'<div class="atlas-title"><div class="headline"><span class="year">{scene.view.year}'
        f'</span>{headline}</div>{note}'
        f'<div class="filters">{escape(describe(scene.view, atlas))}</div>'
        f'<div class="source">Data: Alliance Atlas, reviewed {atlas.reviewed:%d %B %Y}; '
        f"{n} sources cited for this view. Boundaries: Natural Earth.</div></div>",
        unsafe_allow_html=True)


def apply_stop(index: int) -> None:
    """Callback: show stop ``index`` of the deck: its view, and the map framed as it was."""
    stop = deck()[index]
    for name in stop_fields():
        value = getattr(stop.view, name)
        st.session_state[name] = list(value) if isinstance(value, tuple) else value
    st.session_state["_stop"] = index
    st.session_state["playing"] = False
    frame_map(stop.extent)


def frame_map(extent) -> None:
    """Ask the map to show ``extent`` (None: the whole region); exports frame it too."""
    nonce = st.session_state.get("_goto", (None, None, 0))[2] + 1
    target = extent or REGION_EXTENT
    lat, lon = target.center
    # a change too small to see, so the map moves even to the same stop again
    st.session_state["_goto"] = ((lat + nonce * 1e-7, lon), target.zoom, nonce)
    st.session_state["_extent"] = extent


def _step_stop(step: int) -> None:
    stops = deck()
    if not stops:
        return
    index = st.session_state.get("_stop")
    if index is None or not 0 <= index < len(stops):
        index = -1 if step > 0 else len(stops)
    apply_stop(min(max(index + step, 0), len(stops) - 1))


def _step_year(step: int, first: int, last: int) -> None:
    st.session_state["year"] = min(max(st.session_state["year"] + step, first), last)


def _toggle_play(last_year: int, first_year: int) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    st.session_state["_ticked"] = time.monotonic()  # the first step comes after a period
    if playing and st.session_state["year"] >= last_year:
        st.session_state["year"] = first_year


def advance(atlas: Atlas) -> None:
    """At the top of a run, before the year slider is drawn: take the step Play asked for, and
    stop at the last year."""
    if not st.session_state.pop("_tick", False) or not st.session_state.get("playing"):
        return
    if st.session_state.get("year", atlas.last_year) >= atlas.last_year:
        st.session_state["playing"] = False
    else:
        st.session_state["year"] += 1
        if st.session_state["year"] >= atlas.last_year:
            st.session_state["playing"] = False


def presenter_bar(atlas: Atlas, view: View) -> None:
    """Previous/next stop (PageUp/PageDown, a clicker's keys), play, presentation mode; while
    presenting, the arrow keys step the year."""
    stops = deck()
    at = current_stop(view)
    bar = st.container(horizontal=True, vertical_alignment="center", gap="small",
                       width="content")  # buttons as wide as their labels: none is cut off
    count = (f"{len(stops)} stop(s) in the briefing deck" if stops
             else "No stops yet: add some in the briefing deck below the map")
    bar.button("Previous stop", icon=":material/skip_previous:", on_click=_step_stop,
               args=(-1,), key="prev_stop", disabled=not stops, shortcut="PageUp", help=count)
    bar.button("Next stop", icon=":material/skip_next:", on_click=_step_stop, args=(1,),
               key="next_stop", disabled=not stops, shortcut="PageDown", help=count)
    playing = st.session_state.get("playing", False)
    bar.button("Pause" if playing else "Play years", key="play",
               icon=":material/pause:" if playing else ":material/play_arrow:",
               on_click=_toggle_play, args=(atlas.last_year, atlas.first_year))
    bar.toggle("Presentation", key="present", width="content")
    if view.present:  # no slider on screen: the arrow keys are free to step the year
        years = (atlas.first_year, atlas.last_year)
        bar.button("−1", key="year_back", on_click=_step_year, args=(-1, *years),
                   shortcut="Left", help="One year back")
        bar.button("+1", key="year_next", on_click=_step_year, args=(1, *years),
                   shortcut="Right", help="One year on")
    if at:  # the presenter's words: plain text
        bar.container(width="content").text(
            shorten(f"Stop {at[0] + 1} of {len(stops)}: {at[1].label(at[0] + 1)}", 120))
    with st.container():  # always drawn, so starting Play never shifts (and remounts) the map
        if playing:
            _ticker()


@st.fragment(run_every=PLAY_SECONDS)
def _ticker() -> None:
    """While playing: ask for the next year (taken by :func:`advance`) and rerun the page.

    The body also runs when the whole page does: it only ticks once a period has passed.
    """
    now = time.monotonic()
    if st.session_state.get("playing") and now - st.session_state.get("_ticked", 0) >= (
            0.9 * PLAY_SECONDS):
        st.session_state["_ticked"] = now
        st.session_state["_tick"] = True
        st.rerun(scope="app")
