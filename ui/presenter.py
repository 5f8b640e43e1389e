"""The presenter's tools: presentation mode's title block, the presenter bar (stops, play,
presentation toggle) and the stops editor."""

from __future__ import annotations

from html import escape

import streamlit as st

from geo import Atlas, cited_sources
from geo.view.scene import Scene, describe
from geo.view.state import View
from ui.state import share_url

PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"] { display: none; }
.block-container { padding-top: 1rem; padding-bottom: 0; max-width: 100%; }
.atlas-title .headline { font-size: 1.9rem; font-weight: 700; line-height: 1.15; }
.atlas-title .year { font-size: 2.4rem; margin-right: .5rem; }
.atlas-title .filters { font-size: 1.1rem; }
.atlas-title .source { font-size: .9rem; color: #444; }
</style>"""


def title_block(atlas: Atlas, scene: Scene) -> None:
    """Presentation mode: controls hidden; the title, year, filters and source line on the page."""
    n = len(cited_sources(scene.records, scene.statuses))
    st.html(PRESENT_CSS)
    st.markdown(
        f'<div class="atlas-title"><div class="headline"><span class="year">{scene.view.year}'
        "</span>Cuba's alliances and security cooperation</div>"
        f'<div class="filters">{escape(describe(scene.view, atlas))}</div>'
        f'<div class="source">Data: Alliance Atlas, reviewed {atlas.reviewed:%d %B %Y}; '
        f"{n} sources cited for this view. Boundaries: Natural Earth.</div></div>",
        unsafe_allow_html=True)


def _go_to_stop(step: int) -> None:
    stops = list(st.session_state.get("stops") or ())
    if not stops:
        return
    year = st.session_state["year"]
    later = [s for s in stops if s > year]
    earlier = [s for s in stops if s < year]
    if step > 0:
        st.session_state["year"] = later[0] if later else stops[0]
    else:
        st.session_state["year"] = earlier[-1] if earlier else stops[-1]


def _toggle_play(last_year: int, first_year: int) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing and st.session_state["year"] >= last_year:
        st.session_state["year"] = first_year


def presenter_bar(atlas: Atlas, view: View) -> None:
    """Previous/next stop, play, presentation mode: the controls a presenter needs."""
    stops = f"Stops: {', '.join(map(str, view.stops)) or 'none'}"
    bar = st.container(horizontal=True, vertical_alignment="center", gap="small",
                       width="content")
    bar.button("◀ Previous stop", on_click=_go_to_stop, args=(-1,), key="prev_stop",
               disabled=not view.stops, help=stops)
    bar.button("Next stop ▶", on_click=_go_to_stop, args=(1,), key="next_stop",
               disabled=not view.stops, help=stops)
    playing = st.session_state.get("playing", False)
    bar.button("⏸ Pause" if playing else "▶ Play years", key="play",
               on_click=_toggle_play, args=(atlas.last_year, atlas.first_year))
    bar.toggle("Presentation", key="present")
    if playing:
        _ticker(atlas.last_year)


@st.fragment(run_every=1.5)
def _ticker(last_year: int) -> None:
    """While playing, move one year forward and redraw the page."""
    if not st.session_state.get("playing"):
        return
    if st.session_state["year"] >= last_year:
        st.session_state["playing"] = False
    else:
        st.session_state["year"] += 1
    st.rerun(scope="app")


def stops_editor(view: View, default: View) -> None:
    """The ordered stops of a briefing, each a link to its view."""
    with st.expander(f"Briefing stops ({len(view.stops)})"):
        for year in view.stops:
            url = share_url(View(**{**view.__dict__, "year": year}), default)
            st.markdown(f"- [{year}]({url})")
        left, right = st.columns(2)
        left.button("Add this year", key="add_stop", on_click=_add_stop, args=(view.year,),
                    disabled=view.year in view.stops)
        right.button("Remove this year", key="remove_stop", on_click=_remove_stop,
                     args=(view.year,), disabled=view.year not in view.stops)


def _add_stop(year: int) -> None:
    st.session_state["stops"] = tuple(sorted({*st.session_state.get("stops", ()), year}))


def _remove_stop(year: int) -> None:
    st.session_state["stops"] = tuple(s for s in st.session_state.get("stops", ()) if s != year)
