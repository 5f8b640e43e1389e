"""Alliance Atlas data layer: load, validate and query the curated data under ``data/``.

>>> from geo import load_atlas
>>> atlas = load_atlas()
>>> "VEN" in atlas.members("ALBA", 2019)
True
"""

from geo.atlas import DATA_DIR, Atlas, cited_sources, load_atlas
from geo.loading import Problem
from geo.vocab import ACTIVITIES, EVIDENCE, ORG_KINDS, STATUSES

__all__ = ["ACTIVITIES", "DATA_DIR", "EVIDENCE", "ORG_KINDS", "STATUSES", "Atlas", "Problem",
           "cited_sources", "load_atlas"]
