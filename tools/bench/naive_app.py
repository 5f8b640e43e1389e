"""The naive baseline the benchmark measures the dashboard against: the same questions, built the
obvious way.

Every run loads and validates the data again and reads the region's countries at Natural Earth
1:10m, unsimplified (no caching at all); joins memberships and records with the atlas queries;
draws the map with ``GeoDataFrame.explore()``; shows it with ``st_folium(m)`` and no
``returned_objects`` (so every pan, zoom and click reruns the page). The widget keys are the
dashboard's, so one harness drives both.

Run by ``python -m tools.bench`` (which prepares the 1:10m file); by hand:
``streamlit run tools/bench/naive_app.py`` after one benchmark run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).absolute().parents[2]
# `streamlit run tools/bench/naive_app.py` puts only tools/bench/ on the path
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from geo import ACTIVITIES, DATA_DIR, EVIDENCE, load_atlas  # noqa: E402
from geo.view.state import MODES  # noqa: E402

COUNTRIES = os.environ.get("NAIVE_COUNTRIES",
                           str(ROOT / "tools" / "bench" / ".cache" / "naive-countries-10m.geojson"))

st.set_page_config(page_title="Alliance Atlas (naive)", layout="wide")
atlas = load_atlas(os.environ.get("ATLAS_DATA_DIR", str(DATA_DIR)))
shapes = gpd.read_file(COUNTRIES)
orgs = sorted(atlas.organisations["org_id"])
states = atlas.countries[atlas.countries["kind"] == "state"].sort_values("name_en")
names = dict(zip(atlas.countries["iso3"], atlas.countries["name_en"], strict=True))

with st.sidebar:
    year = st.slider("Year", atlas.first_year, atlas.last_year, atlas.last_year, key="year")
    mode = st.radio("Colour countries by", list(MODES), index=list(MODES).index("cooperation"),
                    format_func=MODES.__getitem__, key="mode")
    alliances = st.multiselect("Alliances", orgs, default=orgs, key="alliances")
    activities = st.multiselect("Cooperation activities", list(ACTIVITIES),
                                default=list(ACTIVITIES), key="activities")
    evidence = st.multiselect("Evidence grades", list(EVIDENCE), default=list(EVIDENCE),
                              key="evidence")
    chosen = st.selectbox("Country", list(states["iso3"]), index=None,
                          format_func=names.__getitem__, key="country")

frame = atlas.country_frame(year)
statuses = atlas.statuses(year)
statuses = statuses[statuses["org_id"].isin(alliances)]
records = atlas.cooperation(year=year, activities=activities, evidence=evidence)
if mode == "alliances":
    value = statuses[statuses["status"] == "member"].groupby("iso3").size()
elif mode == "cooperation":
    value = records.groupby("iso3").size()
else:
    value = atlas.shared_with_cuba(year, alliances)

table = frame.drop(columns="geometry")[["iso3", "name_en", "memberships", "n_records"]]
table["memberships"] = [", ".join(m) for m in table["memberships"]]
gdf = shapes.merge(table, on="iso3", how="left")
gdf["value"] = gdf["iso3"].map(value).fillna(0).astype(int)

st.title("Alliance Atlas")
m = gdf.explore(column="value", cmap="YlGnBu", tooltip=["name_en", "memberships", "n_records",
                                                        "value"])
out = st_folium(m, key="map", height=650, use_container_width=True)

clicked = ((out or {}).get("last_active_drawing") or {}).get("properties") or {}
country = clicked.get("iso3") or chosen
if country:
    st.subheader(names.get(country, country))
    st.dataframe(atlas.history(country)[["org_id", "status", "start", "end"]])
    st.dataframe(records[records["iso3"] == country][["record_id", "activity", "start_year",
                                                      "end_year", "title", "evidence"]])
