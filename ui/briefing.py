"""Briefing tools: presentation mode, stops, play, share link, exports, timelines, changes."""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from geo import ACTIVITIES, Atlas, cited_sources, export, mapping
from geo.changes import CHANGES, changes
from geo.panel import safe_link, years_text
from geo.scene import Scene, describe
from geo.view import View
from ui.cache import chart
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
    stops = ", ".join(map(str, view.stops)) or "none"
    cols = st.columns([1, 1, 1, 1, 3])
    cols[0].button("◀ Previous stop", on_click=_go_to_stop, args=(-1,), key="prev_stop",
                   disabled=not view.stops)
    cols[1].button("Next stop ▶", on_click=_go_to_stop, args=(1,), key="next_stop",
                   disabled=not view.stops)
    playing = st.session_state.get("playing", False)
    cols[2].button("⏸ Pause" if playing else "▶ Play years", key="play",
                   on_click=_toggle_play, args=(atlas.last_year, atlas.first_year))
    cols[3].toggle("Presentation", key="present")
    cols[4].caption(f"Stops: {stops}")
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


def share_and_export(atlas: Atlas, scene: Scene, default: View, shapes: dict,
                     assets: tuple[str, str]) -> None:
    """Copy a link to this view; download the slide, the data and the interactive map."""
    view = scene.view
    share, downloads = st.columns([3, 2])
    with share.popover("🔗 Copy link to this view", use_container_width=True):
        st.code(share_url(view, default), language=None, wrap_lines=True)
        st.caption("The link reproduces the year, filters, colour mode, country and stops.")
    with downloads.popover("⬇ Export this view", use_container_width=True):
        files = [
            ("Slide (PNG, 16:9)", "png", "image/png", lambda: export.slide_png(atlas, scene)),
            ("Slide (PDF)", "pdf", "application/pdf", lambda: export.slide_pdf(atlas, scene)),
            ("Records (CSV)", "csv", "text/csv", lambda: export.records_csv(atlas, scene)),
            ("Map data (GeoJSON)", "geojson", "application/geo+json",
             lambda: export.map_geojson(atlas, scene)),
            ("Interactive map (HTML, works offline)", "html", "text/html",
             lambda: _standalone(atlas, scene, shapes, assets)),
            ("Sources (text)", "txt", "text/plain", lambda: export.sources_text(atlas, scene)),
        ]
        for label, ext, mime, make in files:
            st.download_button(label, make, file_name=export.filename(view, ext), mime=mime,
                               on_click="ignore", key=f"export_{ext}", width="stretch")


def _standalone(atlas: Atlas, scene: Scene, shapes: dict, assets: tuple[str, str]) -> str:
    return mapping.standalone_html(mapping.complete_map(atlas.countries, scene, shapes, assets))


def timeline_and_narratives(atlas: Atlas, scene: Scene) -> None:
    """Records per year by activity over the era bands, beside the narratives of the era."""
    view = scene.view
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown("**Cuban cooperation over time** (records active each year, filtered)")
        chart(atlas, "region", view.activities, view.evidence, year=view.year)
    with right:
        if era := atlas.era_of(view.year):
            row = atlas.eras.set_index("era_id").loc[era]
            _sourced(row["label"], years_text(row["start_year"], row["end_year"]),
                     row["summary"], row["sources"])
        narratives = atlas.narratives.sort_values("order")
        end = narratives["end_year"].fillna(atlas.last_year)
        current = narratives[(narratives["start_year"] <= view.year) & (end >= view.year)]
        for row in current.itertuples():
            _sourced(row.title, years_text(row.start_year, row.end_year), row.text, row.sources)
        with st.expander("All narratives"):
            for row in narratives.itertuples():
                _sourced(row.title, years_text(row.start_year, row.end_year), row.text,
                         row.sources)


def _sourced(title: str, years: str, text: str, sources: list[dict]) -> None:
    """A titled text with the links to its sources (everything escaped)."""
    links = "; ".join(safe_link(s["url"], s["title"]) for s in sources)
    st.markdown(f"<b>{escape(title)}</b> <small>({escape(years)})</small><br>{escape(text)}"
                f"<br><small>Sources: {links}</small>", unsafe_allow_html=True)


def changes_in_view(atlas: Atlas, scene: Scene) -> pd.DataFrame | None:
    """What changed between the comparison year and the year shown (None: no comparison)."""
    view = scene.view
    if view.compare is None or view.compare == view.year:
        return None
    return changes(atlas, view.compare, view.year, view.alliances, view.activities,
                   view.evidence)


def what_changed(atlas: Atlas, scene: Scene, found: pd.DataFrame | None) -> None:
    """The list of changes drawn on the map."""
    view = scene.view
    if found is None:
        return
    first, last = sorted((view.compare, view.year))
    names = atlas.countries.set_index("iso3")["name_en"]
    with st.expander(f"What changed from {first} to {last} ({len(found)})", expanded=True):
        if found.empty:
            st.info(f"Nothing changed between {first} and {last} under these filters.")
        else:
            shown = pd.DataFrame({
                "country": found["iso3"].map(names), "change": found["change"].map(CHANGES),
                "in": [ACTIVITIES.get(s, s) for s in found["subject"]],
                "detail": found["detail"]})
            st.dataframe(shown, hide_index=True, width="stretch")


def empty_notes(scene: Scene) -> None:
    """Say so when the filters match nothing: the map is never silently blank."""
    view = scene.view
    if not view.alliances:
        st.info("No alliance selected: choose at least one in the sidebar to see memberships.")
    elif scene.statuses.empty:
        st.info(f"None of the selected alliances had members on 1 July {view.year}.")
    if not view.activities or not view.evidence:
        st.info("No activity or evidence grade selected, so no cooperation record can match.")
    elif scene.records.empty:
        st.info(f"No Cuban cooperation record matches these filters in {view.year}.")


def sources_for_view(atlas: Atlas, scene: Scene) -> None:
    """Every source cited by what is on screen, as a table and as copyable text."""
    cited = cited_sources(scene.records, scene.statuses)
    with st.expander(f"Sources for this view ({len(cited)})"):
        st.dataframe(cited.drop(columns="source_id"), hide_index=True,
                     column_config={"url": st.column_config.LinkColumn("url")})
        st.code(export.sources_text(atlas, scene), language=None, wrap_lines=True)
