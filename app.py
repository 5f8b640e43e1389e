"""Alliance Atlas: the Streamlit page. It composes; the logic lives in ``geo``.

Run with ``streamlit run app.py``.
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from geo import ACTIVITIES, DATA_DIR, Atlas, cited_sources, load_atlas

st.set_page_config(page_title="Alliance Atlas", page_icon="🗺️", layout="wide")


@st.cache_resource
def get_atlas(data_dir: str) -> Atlas:
    """The validated atlas, loaded once per server: it is frozen and never mutated."""
    return load_atlas(data_dir)


def first_source(sources: list[dict]) -> str:
    return sources[0]["url"] if sources else ""


atlas = get_atlas(os.environ.get("ATLAS_DATA_DIR", str(DATA_DIR)))
st.title("Alliance Atlas")
st.caption(
    f"Cuba's alliances and security cooperation in Latin America and the Caribbean, "
    f"{atlas.first_year}–{atlas.last_year}. Data reviewed {atlas.reviewed:%d %B %Y}; "
    f"every row cites its sources.")
if atlas.problems:
    st.warning(f"{len(atlas.problems)} data problem(s): the rows listed here are left out; "
               "everything else is shown.")
    st.code("\n".join(str(p) for p in atlas.problems), language=None)

year = st.slider("Year (memberships as of 1 July)", atlas.first_year, atlas.last_year,
                 atlas.last_year, key="year")

statuses = atlas.statuses(year)
names = atlas.countries.set_index("iso3")["name_en"]
st.subheader(f"Memberships on 1 July {year}")
if statuses.empty:
    st.info(f"No membership episode covers 1 July {year}.")
else:
    table = statuses.pivot(index="iso3", columns="org_id", values="status").fillna("")
    table.index = [f"{names.get(iso3, iso3)} ({iso3})" for iso3 in table.index]
    st.dataframe(table, width="stretch")

st.subheader(f"Cuban cooperation active in {year}")
records = atlas.cooperation(year=year)
if records.empty:
    st.info(f"No sourced cooperation record is active in {year}.")
else:
    shown = pd.DataFrame({
        "partner": records["iso3"].map(names),
        "years": [f"{s}–{'' if pd.isna(e) else e}" for s, e in
                  zip(records["start_year"], records["end_year"], strict=True)],
        "activity": records["activity"].map(ACTIVITIES),
        "evidence": records["evidence"],
        "title": records["title"],
        "description": records["description"],
        "source": records["sources"].map(first_source),
    })
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"source": st.column_config.LinkColumn("source")})

cited = cited_sources(statuses, records)
with st.expander(f"Sources for this view ({len(cited)})"):
    st.dataframe(cited.drop(columns="source_id"), hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn("url")})
