"""The atlas: validated data frames and the temporal queries the dashboard asks of them."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import shape

from geo.data import checks
from geo.data.dates import as_of, parse_partial_date
from geo.data.reading import Problem, read_countries, read_csv
from geo.data.schema import (
    FIRST_YEAR,
    Agreement,
    Cooperation,
    CountryProperties,
    Era,
    Membership,
    Narrative,
    Organisation,
    Personnel,
    Source,
)
from geo.data.vocab import MAX_ORGANISATIONS

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CUBA = "CUB"


@dataclass(frozen=True, eq=False)
class Atlas:
    """Everything under ``data/`` that passed validation, plus the problems found on the way.

    ``countries`` is a GeoDataFrame (one row per country or territory, key ``iso3``);
    ``organisations``, ``memberships``, ``records`` (cooperation) and ``sources`` are DataFrames;
    ``eras`` (the timeline's era bands, by ``start_year``) and ``narratives`` (short era texts,
    by ``order``) are DataFrames too, with ``end_year`` empty when ongoing; ``personnel``
    (counts of Cuban personnel, by country and date) and ``agreements`` (Cuba–partner
    agreements, by country and signing date) as well.
    ``version`` names the data it was built from (folder and content digest): caches key on it.
    Membership, cooperation, era and narrative rows carry ``sources``: a list of ``{source_id,
    title, url, publisher}`` dicts resolved from ``data/sources.csv``.
    """

    countries: gpd.GeoDataFrame
    organisations: pd.DataFrame
    memberships: pd.DataFrame
    records: pd.DataFrame
    sources: pd.DataFrame
    reviewed: date
    problems: tuple[Problem, ...] = ()
    eras: pd.DataFrame = field(default_factory=lambda: _empty_frame(Era))
    narratives: pd.DataFrame = field(default_factory=lambda: _empty_frame(Narrative))
    personnel: pd.DataFrame = field(default_factory=lambda: _frame([], Personnel, {}))
    agreements: pd.DataFrame = field(default_factory=lambda: _frame([], Agreement, {}))
    version: str = ""
    status_table: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status_table", _status_table(self.memberships, self.years))

    @property
    def first_year(self) -> int:
        """First year the dashboard shows."""
        return FIRST_YEAR

    @property
    def last_year(self) -> int:
        """The year of the data's last review: ongoing episodes run to it."""
        return self.reviewed.year

    @cached_property
    def states(self) -> gpd.GeoDataFrame:
        """The rows of ``countries`` that are CELAC states (``kind`` "state")."""
        return self.countries[self.countries["kind"] == "state"]

    @cached_property
    def years(self) -> range:
        """Every year a membership question can be asked about (founding of the oldest body on)."""
        starts = self.memberships["start_date"]
        first = min(self.first_year, starts.min().year) if len(starts) else self.first_year
        return range(first, self.last_year + 1)

    def era_of(self, year: int) -> str | None:
        """The ``era_id`` of the era band containing ``year`` (None when no era does)."""
        eras = self.eras
        end = eras["end_year"].astype("Int64").fillna(self.last_year)
        found = eras.loc[((eras["start_year"] <= year) & (end >= year)).to_numpy(dtype=bool),
                         "era_id"]
        return str(found.iloc[0]) if len(found) else None

    def _check_year(self, year: int) -> int:
        if year not in self.years:
            raise ValueError(f"year {year} is outside {self.years.start}-{self.years.stop - 1}")
        return year

    def statuses(self, year: int) -> pd.DataFrame:
        """Every ``(iso3, org_id, status, sources)`` in force on 1 July of ``year``."""
        found = self._statuses_by_year.get(self._check_year(year))
        return self.status_table.iloc[:0, 1:] if found is None else found.copy(deep=False)

    @cached_property
    def _statuses_by_year(self) -> dict[int, pd.DataFrame]:
        """The status table split by year once (a view then takes no pass over every year)."""
        return {int(year): rows.drop(columns="year")
                for year, rows in self.status_table.groupby("year", sort=False)}

    def status_map(self, year: int) -> dict[str, dict[str, str]]:
        """``{iso3: {org_id: status}}`` on 1 July of ``year``, in :meth:`statuses`' order: the
        same facts as plain dicts, for code that looks statuses up country by country. Shared:
        never change it."""
        return self._status_maps.get(self._check_year(year), {})

    @cached_property
    def _status_maps(self) -> dict[int, dict[str, dict[str, str]]]:
        table = self.status_table
        maps: dict[int, dict[str, dict[str, str]]] = {}
        for year, iso3, org, status in zip(table["year"].tolist(), table["iso3"].tolist(),
                                           table["org_id"].tolist(), table["status"].tolist(),
                                           strict=True):
            maps.setdefault(year, {}).setdefault(iso3, {})[org] = status
        return maps

    def status(self, iso3: str, org_id: str, year: int) -> str | None:
        """Status of one country in one organisation on 1 July of ``year`` (None: not in it)."""
        found = self.statuses(year)
        found = found[(found["iso3"] == iso3) & (found["org_id"] == org_id)]
        return found["status"].iloc[0] if len(found) else None

    def members(self, org_id: str, year: int) -> set[str]:
        """ISO3 codes of the full, active members of ``org_id`` on 1 July of ``year``."""
        found = self.statuses(year)
        return set(found.loc[(found["org_id"] == org_id) & (found["status"] == "member"), "iso3"])

    def cooperation(
        self,
        year: int | None = None,
        country: str | None = None,
        activities: Iterable[str] | None = None,
        evidence: Iterable[str] | None = None,
        counterparts: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Cooperation records active in ``year`` (ongoing ones run to the last year), filtered;
        ``counterparts`` keeps records with the government, with an armed opposition, or both."""
        columns = self._record_columns
        keep = np.ones(len(self.records), dtype=bool)
        if year is not None:
            keep &= (columns["start_year"] <= year) & (columns["end_year"] >= year)
        if country is not None:
            keep &= columns["iso3"] == country
        for name, wanted in (("activity", activities), ("evidence", evidence),
                             ("counterpart", counterparts)):
            if wanted is not None:
                keep &= np.isin(columns[name], list(wanted))
        return self.records[keep]

    @cached_property
    def _record_columns(self) -> dict[str, np.ndarray]:
        """The columns :meth:`cooperation` filters on, as NumPy arrays (ongoing records end in
        the last year): a filter is a few array comparisons, not a pass through pandas."""
        records = self.records
        return {"start_year": records["start_year"].to_numpy(dtype=int),
                "end_year": records["end_year"].fillna(self.last_year).to_numpy(dtype=int),
                **{name: records[name].to_numpy(dtype=object)
                   for name in ("iso3", "activity", "evidence", "counterpart")
                   if name in records}}

    def personnel_of(self, iso3: str) -> pd.DataFrame:
        """Counts of Cuban personnel in one country (``date, low, high, counted, record_id,
        sources``), by date."""
        return self.personnel[self.personnel["iso3"] == iso3]

    def agreements_of(self, iso3: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Cuba's agreements with one country (or all), those in force in ``year`` when given
        (signed by then, not ended before it), by signing date."""
        found = self.agreements
        if iso3 is not None:
            found = found[found["iso3"] == iso3]
        if year is not None:
            ended = found["ended"].fillna("9999").str[:4].astype(int)
            found = found[(found["signed"].str[:4].astype(int) <= year) & (ended >= year)]
        return found

    def history(self, iso3: str) -> pd.DataFrame:
        """All membership episodes of one country, by organisation then start."""
        episodes = self.memberships[self.memberships["iso3"] == iso3]
        return episodes.sort_values(["org_id", "start_date"])

    def shared_with_cuba(self, year: int, org_ids: Iterable[str] | None = None) -> pd.Series:
        """Per country, how many organisations it is a full member of together with Cuba."""
        found = self.statuses(year)
        found = found[found["status"] == "member"]
        if org_ids is not None:
            found = found[found["org_id"].isin(list(org_ids))]
        cuban = set(found.loc[found["iso3"] == CUBA, "org_id"])
        shared = found[found["org_id"].isin(cuban) & (found["iso3"] != CUBA)]
        return shared.groupby("iso3").size().rename("shared_with_cuba")

    def country_frame(self, year: int) -> gpd.GeoDataFrame:
        """Geometries joined with what held in ``year``: one row per country, none lost or doubled.

        Adds ``memberships`` (sorted org ids where the country was a full member), ``statuses``
        (``{org_id: status}``, every status) and ``n_records`` (cooperation records active).
        """
        found = self.statuses(year)
        per_country = pd.DataFrame({
            "memberships": found[found["status"] == "member"].groupby("iso3")["org_id"].agg(sorted),
            "statuses": pd.Series({iso3: dict(zip(g["org_id"], g["status"], strict=True))
                                   for iso3, g in found.groupby("iso3")}, dtype=object),
            "n_records": self.cooperation(year=year).groupby("iso3").size(),
        })
        frame = self.countries.merge(per_country, how="left", left_on="iso3", right_index=True,
                                     validate="one_to_one")
        frame["memberships"] = [v if isinstance(v, list) else [] for v in frame["memberships"]]
        frame["statuses"] = [v if isinstance(v, dict) else {} for v in frame["statuses"]]
        frame["n_records"] = frame["n_records"].fillna(0).astype(int)
        return frame


def by_status(statuses: dict[str, str]) -> dict[str, list[str]]:
    """``{org_id: status}`` (one country's :meth:`Atlas.status_map`) as ``{status: [org_id,
    ...]}``, statuses in the order they first appear."""
    grouped: dict[str, list[str]] = {}
    for org, status in statuses.items():
        grouped.setdefault(status, []).append(org)
    return grouped


def cited_sources(*frames: pd.DataFrame) -> pd.DataFrame:
    """The distinct sources cited by the rows of ``frames`` (each with a ``sources`` column)."""
    cited = {s["source_id"]: s for frame in frames for sources in frame["sources"] for s in sources}
    return pd.DataFrame(sorted(cited.values(), key=lambda s: s["title"].casefold()),
                        columns=["source_id", "title", "publisher", "url"])


def _status_table(memberships: pd.DataFrame, years: range) -> pd.DataFrame:
    """Year-indexed statuses: one row per episode and year whose 1 July it covers."""
    year_list = np.array(list(years))
    days = np.array([as_of(y) for y in year_list], dtype="datetime64[D]")
    start = memberships["start_date"].to_numpy(dtype="datetime64[D]")[:, None]
    end = memberships["end_date"].fillna(pd.Timestamp.max.normalize()).to_numpy(
        dtype="datetime64[D]")[:, None]
    episode, year = np.nonzero((start <= days) & (days < end))
    columns = ["iso3", "org_id", "status", "sources"]
    table = memberships.iloc[episode][columns].reset_index(drop=True)
    table.insert(0, "year", year_list[year])
    return table


def _dates(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_datetime([parse_partial_date(v) if isinstance(v, str) else None
                           for v in frame[column]])


def load_atlas(data_dir: Path | str = DATA_DIR) -> Atlas:
    """Load and validate everything under ``data_dir``; invalid rows are left out and reported.

    ``atlas.problems`` lists each problem as ``file:row: field: message``.
    """
    data_dir = Path(data_dir)

    def name(file: str) -> str:
        return f"{data_dir.name}/{file}"

    problems: list[Problem] = []

    def keep(result):
        rows, found = result
        problems.extend(found)
        return rows

    reviewed = _reviewed(data_dir / "catalogue.toml", name("catalogue.toml"), problems)
    countries = keep(read_countries(data_dir / "countries.geojson", name("countries.geojson")))
    countries = keep(checks.unique(countries, "iso3", name("countries.geojson")))
    iso3 = {c["iso3"] for c in countries}

    sources = keep(read_csv(data_dir / "sources.csv", Source, name("sources.csv")))
    sources = keep(checks.unique(sources, "source_id", name("sources.csv")))
    source_ids = {s["source_id"] for s in sources}

    file = name("organisations.csv")
    orgs = keep(read_csv(data_dir / "organisations.csv", Organisation, file))
    orgs = keep(checks.unique(orgs, "org_id", file))
    orgs = keep(checks.at_most(orgs, MAX_ORGANISATIONS, "org_id", file,
                               "the map cannot give more organisations distinct colours"))
    orgs = keep(checks.known(orgs, "sources", source_ids, file, "sources.csv"))

    file = name("memberships.csv")
    episodes = keep(read_csv(data_dir / "memberships.csv", Membership, file))
    episodes = keep(checks.known(episodes, "iso3", iso3, file, "countries.geojson"))
    episodes = keep(checks.known(episodes, "org_id", {o["org_id"] for o in orgs}, file,
                                 "organisations.csv"))
    episodes = keep(checks.known(episodes, "sources", source_ids, file, "sources.csv"))
    episodes = keep(checks.within_lifetime(episodes, orgs, file))
    episodes = keep(checks.no_overlaps(episodes, file))

    file = name("cooperation.csv")
    records = keep(read_csv(data_dir / "cooperation.csv", Cooperation, file))
    records = keep(checks.unique(records, "record_id", file))
    records = keep(checks.known(records, "iso3", iso3, file, "countries.geojson"))
    records = keep(checks.excluded(records, "iso3", CUBA, file,
                                   "Cuba cannot be its own cooperation partner"))
    records = keep(checks.known(records, "sources", source_ids, file, "sources.csv"))
    records = keep(checks.not_after(records, ("start", "end", "reviewed"), reviewed, file))

    record_country = {r["record_id"]: r["iso3"] for r in records}
    file = name("personnel.csv")
    counts = keep(read_csv(data_dir / "personnel.csv", Personnel, file))
    counts = keep(checks.unique(counts, "personnel_id", file))
    counts = keep(checks.known(counts, "record_id", record_country, file, "cooperation.csv"))
    counts = keep(checks.matches(counts, "iso3", lambda row: record_country[row["record_id"]],
                                 file, "the country of its record"))
    counts = keep(checks.known(counts, "sources", source_ids, file, "sources.csv"))
    counts = keep(checks.not_after(counts, ("date",), reviewed, file))

    file = name("agreements.csv")
    deals = keep(read_csv(data_dir / "agreements.csv", Agreement, file))
    deals = keep(checks.unique(deals, "agreement_id", file))
    deals = keep(checks.known(deals, "iso3", iso3, file, "countries.geojson"))
    deals = keep(checks.known(deals, "sources", source_ids, file, "sources.csv"))
    deals = keep(checks.not_after(deals, ("signed", "ended"), reviewed, file))

    file = name("eras.csv")
    eras = keep(read_csv(data_dir / "eras.csv", Era, file))
    eras = keep(checks.unique(eras, "era_id", file))
    eras = keep(checks.not_after(eras, ("start_year", "end_year", "preset_year"), reviewed,
                                 file))
    eras = keep(checks.known(eras, "sources", source_ids, file, "sources.csv"))
    eras = keep(checks.within(eras, "preset_year", "start_year", "end_year", reviewed.year, file))
    eras = keep(checks.contiguous(eras, "era_id", FIRST_YEAR, reviewed.year, file))

    file = name("narratives.csv")
    texts = keep(read_csv(data_dir / "narratives.csv", Narrative, file))
    texts = keep(checks.unique(texts, "narrative_id", file))
    texts = keep(checks.unique(texts, "order", file))
    texts = keep(checks.not_after(texts, ("start_year", "end_year"), reviewed, file))
    texts = keep(checks.known(texts, "sources", source_ids, file, "sources.csv"))

    by_id = {s["source_id"]: {k: s[k] for k in ("source_id", "title", "url", "publisher")}
             for s in sources}
    memberships = _frame(episodes, Membership, by_id)
    memberships["start_date"] = _dates(memberships, "start")
    memberships["end_date"] = _dates(memberships, "end")
    cooperation = _frame(records, Cooperation, by_id)
    for column in ("start_year", "end_year"):
        cooperation[column] = cooperation[column].astype("Int64")

    if any(org["org_id"] == "CELAC" for org in orgs):
        now = _status_table(memberships, range(reviewed.year, reviewed.year + 1))
        celac = now[(now["org_id"] == "CELAC") & (now["status"] == "member")]
        problems.extend(checks.same_set(
            {c["iso3"] for c in countries if c["celac"]}, set(celac["iso3"]),
            name("countries.geojson"), "celac",
            f"CELAC members in memberships.csv on 1 July {reviewed.year}"))

    return Atlas(
        countries=_countries_frame(countries),
        organisations=_frame(orgs, Organisation, by_id),
        memberships=memberships,
        records=cooperation,
        sources=pd.DataFrame(sources, columns=["row", *Source.model_fields]),
        reviewed=reviewed,
        problems=tuple(sorted(problems)),
        eras=_spans(_frame(eras, Era, by_id), "start_year"),
        narratives=_spans(_frame(texts, Narrative, by_id), "order"),
        personnel=_frame(counts, Personnel, by_id).sort_values(["iso3", "date"],
                                                                kind="stable"),
        agreements=_frame(deals, Agreement, by_id).sort_values(["iso3", "signed"],
                                                               kind="stable"),
        version=_version(data_dir),
    )


def _version(data_dir: Path) -> str:
    """The folder and a digest of every file in it: equal versions mean equal atlases."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{data_dir.resolve()}@{digest.hexdigest()[:16]}"


def _frame(rows: list[dict], model, sources: dict[str, dict]) -> pd.DataFrame:
    """Validated rows with the model's columns (even when there are none); ``sources`` resolved."""
    frame = pd.DataFrame(rows, columns=["row", *model.model_fields, *model.model_computed_fields])
    frame["source_ids"] = frame["sources"]
    frame["sources"] = [[sources[i] for i in ids] for ids in frame["source_ids"]]
    return frame


def _empty_frame(model) -> pd.DataFrame:
    """A frame of no rows with the columns ``_frame`` gives a model's rows."""
    return _spans(_frame([], model, {}), "start_year")


def _spans(frame: pd.DataFrame, order: str) -> pd.DataFrame:
    """Year columns as integers (``end_year`` nullable), rows sorted by ``order``."""
    for column in ("start_year", "preset_year", "order"):
        if column in frame:
            frame[column] = frame[column].astype("int64")
    frame["end_year"] = frame["end_year"].astype("Int64")
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def _countries_frame(rows: list[dict]) -> gpd.GeoDataFrame:
    geometry = [shape(row.pop("geometry")) for row in rows]
    frame = pd.DataFrame(rows, columns=["row", *CountryProperties.model_fields])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326").drop(columns="row")


def _reviewed(path: Path, file: str, problems: list[Problem]) -> date:
    try:
        reviewed = tomllib.loads(path.read_text(encoding="utf-8"))["reviewed"]
        if not isinstance(reviewed, date):
            raise ValueError("'reviewed' must be a TOML date")
        return reviewed
    except (OSError, ValueError, KeyError) as error:
        problems.append(Problem(file, 0, "reviewed", f"cannot be read: {error}"))
        return date.today()
