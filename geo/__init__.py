"""Alliance Atlas, the library (never imports Streamlit), in four floors:

- ``geo.data``: vocabularies, schemas, reading and checking the files under ``data/``, the
  :class:`Atlas` and its temporal queries, ``python -m geo.data.validate``;
- ``geo.view``: the view state, what a view draws (the scene), what changed, the colours;
- ``geo.render``: the folium map, charts, panel HTML and the slide, from a scene;
- ``geo.io``: uploads in (spreadsheets, checked rows) and data exports out.

The public query API is exported here:

>>> from geo import load_atlas
>>> atlas = load_atlas()
>>> "VEN" in atlas.members("ALBA", 2019)
True
"""

from geo.data.atlas import DATA_DIR, Atlas, cited_sources, load_atlas
from geo.data.reading import Problem
from geo.data.vocab import ACTIVITIES, EVIDENCE, ORG_KINDS, STATUSES

__all__ = ["ACTIVITIES", "DATA_DIR", "EVIDENCE", "ORG_KINDS", "STATUSES", "Atlas", "Problem",
           "cited_sources", "load_atlas"]
