"""The dashboard's Streamlit widgets and panels. ``app.py`` composes them; logic is in ``geo``.

Widget keys are the fields of :class:`geo.view.View` and the URL's query parameters.
"""

from __future__ import annotations

from dataclasses import fields
from functools import partial

import folium
import streamlit as st
from shapely.geometry import Point, shape
from streamlit_folium import st_folium

from geo import ACTIVITIES, EVIDENCE, Atlas, cited_sources, mapping
from geo.charts import membership_timeline
from geo.panel import membership_table, records_html, status_summary
from geo.scene import Scene
from geo.view import MODES, PALETTES, View

MAP_KEY = "map"


def org_label(org_id: str) -> str:
    return org_id.replace("_", " ")


def default_view(atlas: Atlas) -> View:
    return View.default(atlas.last_year, sorted(atlas.organisations["org_id"]))


def start_session(atlas: Atlas) -> None:
    """Once per session: set the widgets from the URL, keeping notices for what fell back."""
    if "_started" in st.session_state:
        return
    states = atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view, notices = View.from_query_params(
        params, default_view(atlas), range(atlas.first_year, atlas.last_year + 1),
        sorted(atlas.organisations["org_id"]), states)
    for field in fields(View):
        value = getattr(view, field.name)
        st.session_state[field.name] = list(value) if isinstance(value, tuple) else value
    st.session_state["_notices"] = notices
    st.session_state["_started"] = True


def current_view(default: View) -> View:
    """The view the widgets hold now (a widget not drawn in this run keeps its default)."""
    values = {f.name: st.session_state.get(f.name, getattr(default, f.name))
              for f in fields(View)}
    for name in ("alliances", "activities", "evidence"):
        values[name] = tuple(values[name] or ())
    return View(**values)


def sync_url(view: View, default: View) -> None:
    """Write the view into the URL (only what differs from the default)."""
    wanted = view.to_query_params(default)
    if wanted != {k: st.query_params.get_all(k) if isinstance(wanted.get(k), list)
                  else st.query_params.get(k) for k in st.query_params}:
        st.query_params.from_dict(wanted)


def _era_presets(atlas: Atlas) -> None:
    """One button per era: jumps the year slider to the era's preset year."""
    eras = atlas.eras.set_index("era_id")

    def jump() -> None:
        if era := st.session_state.get("era"):
            st.session_state["year"] = int(eras.at[era, "preset_year"])
            st.session_state["era"] = None

    st.pills("Jump to an era", list(eras.index), key="era", on_change=jump,
             format_func=lambda e: f"{eras.at[e, 'label']} ({eras.at[e, 'preset_year']})")


def controls(atlas: Atlas) -> None:
    """The sidebar: year with era presets, filters, colour mode, country search, display."""
    names = atlas.countries.set_index("iso3")["name_en"]
    states = atlas.countries[atlas.countries["kind"] == "state"].sort_values("name_en")["iso3"]
    with st.sidebar:
        st.slider("Year (memberships as of 1 July)", atlas.first_year, atlas.last_year,
                  key="year")
        _era_presets(atlas)
        st.segmented_control("Colour countries by", list(MODES), key="mode",
                             format_func=MODES.__getitem__, required=True)
        st.multiselect("Alliances", sorted(atlas.organisations["org_id"]), key="alliances",
                       format_func=org_label, placeholder="No alliance selected", wrap=False)
        st.multiselect("Cooperation activities", list(ACTIVITIES), key="activities",
                       format_func=ACTIVITIES.__getitem__, placeholder="No activity selected",
                       wrap=False)
        st.pills("Evidence grades", list(EVIDENCE), key="evidence", selection_mode="multi",
                 help="documented: official or archival; reported: reputable press or "
                      "research; alleged: claimed without independent corroboration")
        st.selectbox("Country", list(states), key="country", format_func=names.__getitem__,
                     index=None, placeholder="Search a country, or click the map")
        with st.expander("Display"):
            st.radio("Palette", list(PALETTES), key="palette", format_func=PALETTES.__getitem__,
                     horizontal=True)
            st.toggle("Presentation mode", key="present")
            st.toggle("Online basemap (needs internet)", key="basemap")


def _on_map_change(atlas: Atlas) -> None:
    """Turn a click on the map into a selection (or an explanation); never fails."""
    state = st.session_state.get(MAP_KEY) or {}
    drawing = state.get("last_active_drawing")
    clicked = state.get("last_clicked")
    if drawing and drawing != st.session_state.get("_seen_drawing"):
        st.session_state["_seen_drawing"] = drawing
        properties = drawing.get("properties") or {}
        if properties.get("kind") == "state":
            st.session_state["country"] = properties.get("iso3")
            st.session_state["_map_note"] = None
        else:
            name = properties.get("name", "This place")
            st.session_state["_map_note"] = (
                f"{name}: {mapping.CONTEXT_NOTE.get(properties.get('kind'), 'not in the data.')}")
        return
    if clicked and not _inside_selection(atlas, clicked):
        st.session_state["country"] = None
        st.session_state["_map_note"] = "No country there: selection cleared."


def _inside_selection(atlas: Atlas, clicked: dict) -> bool:
    iso3 = st.session_state.get("country")
    if not iso3:
        return False
    geometry = atlas.countries.set_index("iso3").geometry.get(iso3)
    point = Point(clicked.get("lng", 0), clicked.get("lat", 0))
    return geometry is not None and shape(geometry).buffer(0.3).contains(point)


def show_map(atlas: Atlas, scene: Scene, shapes: dict, assets: tuple[str, str]) -> None:
    """The map: a stable base plus this view's layers, so the view and toggles survive."""
    height = 760 if scene.view.present else 680
    base = mapping.base_map(atlas.countries, scene.palette, assets, height=height)
    layers = mapping.view_layers(scene, shapes)
    if scene.view.basemap:
        online = folium.FeatureGroup(name="Online basemap", control=False)
        folium.TileLayer("OpenStreetMap").add_to(online)
        layers.insert(0, online)
    st_folium(base, key=MAP_KEY, height=height, use_container_width=True,
              returned_objects=["last_active_drawing", "last_clicked"],
              feature_group_to_add=layers, layer_control=mapping.layer_control(),
              on_change=partial(_on_map_change, atlas))
    if note := st.session_state.get("_map_note"):
        st.caption(note)


def country_panel(atlas: Atlas, scene: Scene) -> None:
    """The selected country's record: memberships over time, then its cooperation records."""
    iso3 = scene.view.country
    if not iso3:
        st.info("Click a country on the map, or search for one in the sidebar, to read its "
                "record.")
        return
    row = atlas.countries.set_index("iso3").loc[iso3]
    st.subheader(row["name_en"])
    st.caption(f"{row['name_es']} · {iso3} · capital {row['capital']}")
    st.button("Clear selection", key="clear", on_click=st.session_state.update,
              kwargs={"country": None})
    statuses = atlas.statuses(scene.view.year)
    st.markdown(status_summary(statuses[statuses["iso3"] == iso3], scene.view.year))
    history = atlas.history(iso3)
    st.markdown(f"**Memberships over time** ({len(history)} episodes)")
    if history.empty:
        st.write("No membership episode recorded.")
    else:
        st.altair_chart(membership_timeline(history, scene.view.year, atlas.reviewed))
        with st.expander("Membership episodes with dates and sources"):
            st.dataframe(membership_table(history, atlas.organisations), hide_index=True,
                         column_config={"source": st.column_config.LinkColumn("source")})
    _records_section(atlas, scene, iso3)


def _records_section(atlas: Atlas, scene: Scene, iso3: str) -> None:
    if iso3 == "CUB":
        st.write("Cuba is the subject of the atlas: its partners' panels list the cooperation.")
        return
    view = scene.view
    st.toggle("Show all records (every year, activity and grade)", key="all_records")
    if view.all_records:
        records = atlas.cooperation(country=iso3)
        heading = f"All Cuban cooperation records ({len(records)})"
    else:
        records = scene.records[scene.records["iso3"] == iso3]
        heading = f"Cuban cooperation in {view.year}, filtered ({len(records)})"
    st.markdown(f"**{heading}**")
    if records.empty:
        total = len(atlas.cooperation(country=iso3))
        st.info(f"No record matches the filters in {view.year}; {total} record(s) in all "
                "for this country." if total else "No sourced cooperation record for this "
                "country.")
    else:
        st.markdown(records_html(records), unsafe_allow_html=True)


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


def sources_for_view(scene: Scene) -> None:
    """Every source cited by what is on screen."""
    cited = cited_sources(scene.records, scene.statuses)
    with st.expander(f"Sources for this view ({len(cited)})"):
        st.dataframe(cited.drop(columns="source_id"), hide_index=True,
                     column_config={"url": st.column_config.LinkColumn("url")})
