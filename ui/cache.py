"""Every cache of the page, in one place. Pure work is keyed by the atlas's version string
(never by hashing its frames) and a view by its text (one string to hash, not a dozen tuples
walked element by element: a view is hashed several times a rerun); server-wide resources are
built once per process."""

from __future__ import annotations

import atexit
import gc
import hashlib
import shutil
import tempfile
from dataclasses import replace
from operator import attrgetter
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from geo import Atlas, load_atlas
from geo.render import html, webmap
from geo.render.charts import (
    membership_timeline,
    personnel_chart,
    records_timeline,
    region_counts,
    region_filtered,
    region_timeline,
    with_year,
)
from geo.render.leaflet import Assets, asset_urls, leaflet_dist
from geo.view import record
from geo.view.colours import PALETTE
from geo.view.record import CountryRecord
from geo.view.scene import Scene, build_scene, membership_matrix
from geo.view.state import View
from ui import map_component

KEYS = {Atlas: attrgetter("version"), View: repr}
CHARTS = {
    "membership": lambda atlas, iso3: membership_timeline(atlas.history(iso3), atlas.reviewed),
    "records": lambda atlas, iso3: records_timeline(atlas.cooperation(country=iso3),
                                                    atlas.last_year),
    "region": lambda atlas: region_timeline(atlas, _region_counts(atlas)),
    "personnel": lambda atlas, iso3: personnel_chart(atlas.personnel_of(iso3)),
}


@st.cache_resource
def atlas(data_dir: str) -> Atlas:
    """The validated atlas, loaded once per server: it is frozen and never mutated.

    Everything alive once it is loaded (the atlas, the imported modules) lives as long as the
    server, so it is moved out of the garbage collector's sight (``gc.freeze``): collections
    no longer walk it on every rerun (``runner.postScriptGC`` is off, see the config). The
    youngest generation is collected every 10,000 allocations instead of 700: a rerun
    allocates tens of thousands of objects, and each older collection walks the caches' views
    (the benchmark's memory series checks that memory stays flat).
    """
    loaded = load_atlas(data_dir)
    gc.collect()  # the load's own garbage goes first: it must not be frozen
    gc.freeze()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])
    return loaded


@st.cache_resource
def assets(base_url: str, data_dir: str) -> Assets:
    """The URLs of the files the map loads once per page. Streamlit serves a component's folder
    (under ``/component/<name>/``): Leaflet from the installed package's ``dist``, read-only;
    the countries' geometry script (:func:`webmap.geometry_script`) from a folder of this process in
    the system's temporary directory, never the source tree, named by its content (so a
    browser may keep it, and every replica serves the same name)."""
    leaflet = components.declare_component("leaflet", path=str(leaflet_dist()))
    script = webmap.geometry_script(atlas(data_dir).countries)
    folder = Path(tempfile.mkdtemp(prefix="alliance-atlas-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    name = f"geometry-{hashlib.sha256(script.encode()).hexdigest()[:16]}.js"
    (folder / name).write_text(script, "utf-8")
    geometry = components.declare_component("geometry", path=str(folder))
    root = base_url.strip("/")
    return asset_urls(f"{root}/component/{leaflet.name}",
                      f"{root}/component/{geometry.name}/{name}")


@st.cache_resource(max_entries=256, hash_funcs=KEYS, show_spinner=False)
def _scene(atlas: Atlas, view: View) -> Scene:
    """Shared, not copied (a scene is never changed once built): a hit costs no unpickling."""
    return build_scene(atlas, view)


def scene(atlas: Atlas, view: View) -> Scene:
    """What the map draws for ``view``; the selected country changes none of it, so a click
    reuses the scene."""
    return replace(_scene(atlas, replace(view, country=None)), view=view)


@st.cache_resource(max_entries=512, hash_funcs=KEYS, show_spinner=False)
def legend(atlas: Atlas, view: View) -> str:
    """The legend beside the map for ``view``: its style sheet, then its HTML
    (:func:`webmap.legend_html`)."""
    drawn = scene(atlas, view)
    return f"<style>{webmap.legend_css(drawn.palette)}</style>{webmap.legend_html(drawn)}"


@st.cache_resource(max_entries=512, hash_funcs=KEYS, show_spinner=False)
def era_texts(atlas: Atlas, year: int | None) -> list[str]:
    """The era's summary and narratives for ``year`` (every one: None), escaped HTML
    (:func:`geo.render.html.era_texts`)."""
    return html.era_texts(atlas, year)


@st.cache_resource(max_entries=16, hash_funcs=KEYS, show_spinner=False)
def era_presets(atlas: Atlas) -> dict[str, tuple[str, int]]:
    """Era id -> (its button's label, its preset year)."""
    return {era: (f"{label} ({year})", int(year)) for era, label, year in zip(
        atlas.eras["era_id"], atlas.eras["label"], atlas.eras["preset_year"], strict=True)}


@st.cache_resource(max_entries=16, hash_funcs=KEYS, show_spinner=False)
def state_names(atlas: Atlas) -> dict[str, str]:
    """ISO3 -> English name of every state, by name."""
    states = atlas.states.sort_values("name_en")
    return dict(zip(states["iso3"], states["name_en"], strict=True))


@st.cache_data(max_entries=16, hash_funcs=KEYS, show_spinner=False)
def map_base(atlas: Atlas, palette: str, height: int, assets: Assets) -> dict:
    """The map component's arguments for the base map (:func:`map_component.base_args`)."""
    m = webmap.base_map(atlas.countries, PALETTE[palette], assets, height=height)
    return map_component.base_args(m)


def map_layers(atlas: Atlas, view: View) -> str:
    """The script adding ``view``'s layers to the map, the selection's outline on top
    (:func:`map_component.layers_args`): a rerun that draws a view already seen renders no
    folium, and a click renders only the outline."""
    layers, count = _view_layers(atlas, replace(view, country=None))
    return layers + _selection_layer(atlas, view.country, view.palette, count,
                                     scene(atlas, view))


@st.cache_data(max_entries=256, hash_funcs=KEYS, show_spinner=False)
def _view_layers(atlas: Atlas, view: View) -> tuple[str, int]:
    groups = webmap.view_layers(scene(atlas, view))
    return map_component.layers_args(groups), len(groups)


@st.cache_data(max_entries=256, hash_funcs=KEYS, show_spinner=False)
def _selection_layer(atlas: Atlas, country: str | None, palette: str, first: int,
                     _scene: Scene) -> str:
    """The outline of ``country`` as the ``first``-th group (:func:`webmap.selection_layer`),
    drawn from the view's scene (not part of the key: the outline depends on the country and
    the palette only)."""
    return map_component.layers_args(webmap.selection_layer(_scene), first)


def country_record(atlas: Atlas, view: View) -> CountryRecord:
    """The panel's text for ``view.country`` (:func:`geo.view.record.country_record`)."""
    return _country_record(atlas, view.country, view.year, view.activities, view.evidence,
                           view.all_records, scene(atlas, view).records)


@st.cache_resource(max_entries=512, hash_funcs=KEYS, show_spinner=False)
def _country_record(atlas: Atlas, iso3: str, year: int, activities: tuple[str, ...],
                    evidence: tuple[str, ...], all_records: bool, _records) -> CountryRecord:
    """Keyed by what the record depends on (``_records``, the view's records, follow from the
    year, activities and grades)."""
    return record.country_record(atlas, _country_facts(atlas, iso3), year, _records,
                                 all_records)


@st.cache_resource(max_entries=64, hash_funcs=KEYS, show_spinner=False)
def _country_facts(atlas: Atlas, iso3: str) -> record.CountryFacts:
    return record.country_facts(atlas, iso3)


@st.cache_data(max_entries=256, hash_funcs=KEYS, show_spinner=False)
def matrix(atlas: Atlas, year: int):
    """States x organisations on 1 July of ``year`` (:func:`membership_matrix`)."""
    return membership_matrix(atlas, year)


@st.cache_resource(max_entries=1024, hash_funcs=KEYS, show_spinner=False)
def _spec(atlas: Atlas, name: str, *args) -> dict:
    """The chart's Vega-Lite spec with its data already in the Arrow form Streamlit sends
    (Streamlit passes bytes through): a rerun converts nothing (16 ms a chart otherwise).
    Shared, not copied: :func:`chart` hands Streamlit a new top-level dict (it sets and
    removes top-level keys only)."""
    spec = CHARTS[name](atlas, *args).to_dict()
    spec["datasets"] = {key: convert_anything_to_arrow_bytes(values)
                        for key, values in spec.get("datasets", {}).items()}
    return spec


@st.cache_resource(hash_funcs=KEYS, show_spinner="Preparing every country's charts…")
def prepare(atlas: Atlas) -> int:
    """Builds every chart and every year's era texts the page shows, once per server (Altair
    takes 10-30 ms a chart, the regional timeline 100; an era's texts 3 ms): no click, year or
    filter waits for one. Like the atlas, they live as long as the server and are frozen out of
    the collector's sight. The number of charts built."""
    for year in range(atlas.first_year, atlas.last_year + 1):
        era_texts(atlas, year)
    _spec(atlas, "region")
    built = 1
    for iso3 in atlas.states["iso3"]:  # the panel's charts, where it draws them
        facts = _country_facts(atlas, iso3)
        shown = {"membership": facts.episodes, "records": len(facts.every),
                 "personnel": facts.personnel}
        for name in (name for name, count in shown.items() if count):
            _spec(atlas, name, iso3)
            built += 1
    gc.collect()
    gc.freeze()
    return built


def chart(atlas: Atlas, name: str, *args, year: int | None = None) -> None:
    """Draw one of ``CHARTS`` from its cached Vega-Lite spec (Altair is slow to build), with a
    rule at ``year`` when given."""
    spec = dict(_spec(atlas, name, *args))
    if year is not None:
        spec = with_year(spec, year, temporal=name == "membership")
    st.vega_lite_chart(spec)


def region_chart(atlas: Atlas, activities: tuple[str, ...], evidence: tuple[str, ...],
                 year: int) -> None:
    """The regional timeline: built once per server for every activity and grade, narrowed
    to the filter in the browser (:func:`region_filtered`), a rule at ``year``."""
    st.vega_lite_chart(with_year(_region(atlas, activities, evidence), year, temporal=False))


@st.cache_resource(max_entries=256, hash_funcs=KEYS, show_spinner=False)
def _region(atlas: Atlas, activities: tuple[str, ...], evidence: tuple[str, ...]) -> dict:
    """Shared, not copied: :func:`with_year` makes a new top-level dict."""
    return region_filtered(_spec(atlas, "region"), _region_counts(atlas), activities, evidence)


@st.cache_resource(max_entries=16, hash_funcs=KEYS, show_spinner=False)
def _region_counts(atlas: Atlas):
    return region_counts(atlas)
