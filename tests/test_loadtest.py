"""The load test's quick mode, run for real: no errors and no session sees another's data.

Its timings are reported (in the JSON), never asserted: they depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo import load_atlas
from geo.io.upload import parse_upload
from tests.e2e.conftest import require_chromium
from tools.harness import ROOT
from tools.loadtest.runner import ERROR_KINDS, Options, plans, summary
from tools.loadtest.session import Plan, Viewer, upload_csv

pytestmark = pytest.mark.slow

ATLAS = load_atlas()
STATES = sorted(c for c in ATLAS.countries.loc[ATLAS.countries["kind"] == "state", "iso3"]
                if c != "CUB")
YEARS = list(range(ATLAS.first_year, ATLAS.last_year))


@pytest.mark.parametrize("sessions", [1, 5, 20, len(STATES)])
def test_sessions_get_disjoint_countries_and_years(sessions):
    made = plans(STATES, YEARS, Options(sessions=sessions, browsers=2))
    countries = [c for p in made for c in p.countries]
    years = [y for p in made for y in p.years]
    assert sorted(countries) == STATES  # every state, each in one session only
    assert len(set(years)) == len(years) and all(p.years for p in made)
    assert [p.upload for p in made] == [True] + [False] * (sessions - 1)
    assert [p.client for p in made] == (["browser"] * 2 + ["protocol"] * sessions)[:sessions]


@pytest.mark.parametrize("sessions", [0, len(STATES) + 1])
def test_too_few_or_too_many_sessions_are_refused(sessions):
    with pytest.raises(ValueError, match="sessions"):
        plans(STATES, YEARS, Options(sessions=sessions))


def test_the_load_tests_upload_is_valid_for_every_state():
    result = parse_upload("loadtest.csv", upload_csv(STATES), ATLAS)
    assert (result.accepted, result.rejected) == (len(STATES), 0)


NAMES = dict(zip(ATLAS.countries["iso3"], ATLAS.countries["name_en"], strict=True))
CLEAN = {"headings": ["Venezuela", "Bolivia"], "years": [2010, 2011],
         "searches": ["?country=VEN&year=2010", "?year=2011&country=BOL", ""],
         "exceptions": [], "userRows": 0, "marker": 0}


@pytest.mark.parametrize(("change", "seen"), [
    ({}, None),
    ({"headings": ["Venezuela", "Nicaragua"]}, "heading 'Nicaragua'"),
    ({"years": [2010, 1983]}, "year 1983"),
    ({"searches": ["?country=NIC&year=2010"]}, "url country NIC"),
    ({"searches": ["?country=VEN&year=1983"]}, "url year 1983"),
    ({"marker": 1}, "another session's uploaded records"),
    ({"userRows": 2}, "another session's uploaded records"),
])
def test_the_audit_names_anything_another_session_chose(change, seen):
    viewer = Viewer(Plan(3, ["VEN", "BOL"], [2010, 2011]), "http://x", NAMES, 2026)
    viewer.audit({**CLEAN, **change})
    assert viewer.checks == 1
    if seen is None:
        assert viewer.violations == []
    else:
        assert len(viewer.violations) == 1 and seen in viewer.violations[0]


def test_an_exception_on_the_page_is_an_error_once():
    viewer = Viewer(Plan(0, ["VEN"], [2010]), "http://x", NAMES, 2026)
    for _ in range(2):
        viewer.audit({**CLEAN, "headings": ["Venezuela"], "searches": [],
                      "years": [2010], "exceptions": ["ValueError: boom"]})
    assert [e["kind"] for e in viewer.errors] == ["exception"]


def test_summary_of_latencies():
    assert summary([]) == {"count": 0, "p50": None, "p95": None, "max": None, "mean": None}
    assert summary([float(v) for v in range(1, 101)]) == {
        "count": 100, "p50": 50, "p95": 95, "max": 100, "mean": 50}


def test_quick_load_test_has_no_errors_and_isolation_holds(tmp_path):
    require_chromium()
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, "-m", "tools.loadtest", "--quick", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.exists(), run.stdout + run.stderr
    figures = json.loads(out.read_text("utf-8"))

    assert figures["mode"] == "quick"
    config = figures["config"]
    assert (config["sessions"], config["browser_sessions"], config["protocol_sessions"]) == (
        5, 2, 3)
    assert figures["sessions_opened"] == 5
    assert all(s["actions"] for s in figures["sessions"]), "every session acted"
    assert {"year", "select"} <= set(figures["actions"]["by_kind"])
    for client in ("browser", "protocol"):
        latency = figures["latency_ms"][client]["rerun"]
        assert latency["count"] > 0
        assert isinstance(latency["p50"], int) and isinstance(latency["p95"], int)
    memory = figures["memory_mb"]
    for mark in ("start", "before", "loaded", "peak", "end", "after", "growth", "per_session"):
        assert isinstance(memory[mark], int | float), mark

    errors = figures["errors"]
    assert set(ERROR_KINDS) <= set(errors)
    assert errors["total"] == 0, errors["details"]

    isolation = figures["isolation"]
    assert isolation["violations"] == []
    assert isolation["checks"] >= 5 * 2  # on opening and after every action, at least
    upload = isolation["upload"]
    if upload["widget_found"]:
        assert upload["enabled"] and upload["uploaders"] == [0]
        assert upload["uploader_saw_own_rows"] is True  # the check can see user rows
        assert upload["others_saw_user_rows"] == 0
    assert isolation["held"] is True
    assert run.returncode == 0, run.stdout + run.stderr


def test_failover_through_nginx_loses_no_view(tmp_path):
    """Two replicas behind nginx; the busier one is killed mid-run. The other replica's
    sessions see no error; the killed one's viewers reconnect and get their view back."""
    require_chromium()
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, "-m", "tools.loadtest", "--quick", "--nginx", "2",
                          "--kill", "6", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.exists(), run.stdout + run.stderr
    figures = json.loads(out.read_text("utf-8"))
    assert figures["replicas"] == {**figures["replicas"], "count": 2, "behind_nginx": True}
    assert len(figures["replicas"]["memory_mb"]["loaded"]) == 2
    failover = figures["failover"]
    assert failover["sessions"], "the killed replica held sessions"
    assert sorted(failover["recovered"]) == sorted(failover["sessions"])
    assert failover["killed"] not in failover["replicas_after"]
    assert figures["errors"]["total"] == 0, figures["errors"]["details"]  # survivors included
    assert figures["isolation"]["held"] is True
    moved = set(failover["sessions"])
    assert all(s["actions"] for s in figures["sessions"] if s["index"] in moved), \
        "every moved session acted"
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_protocol_only_mode_has_no_pages_and_no_upload():
    made = plans(STATES, YEARS, Options(sessions=20).protocol_only())
    assert [p.client for p in made] == ["protocol"] * 20
    assert not any(p.upload for p in made)


def test_filter_changes_choose_a_filter_not_chosen_before():
    viewer = Viewer(Plan(0, ["VEN"], [2010, 2011]), "http://x", NAMES, 2026,
                    alliances=("A", "B", "C"))
    chosen = [tuple(viewer.next_filter()) for _ in range(6)]
    assert len(set(chosen)) == 6 and all(1 <= len(c) < 3 for c in chosen)
    assert not viewer.filters  # a viewer that cannot change filters never tries


def test_quick_protocol_only_load_test_changes_years_filters_and_countries(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, "-m", "tools.loadtest", "--quick", "--protocol",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                         timeout=240)
    assert out.exists(), run.stdout + run.stderr
    figures = json.loads(out.read_text("utf-8"))
    assert figures["mode"] == "quick, protocol only"
    assert (figures["config"]["browser_sessions"], figures["config"]["protocol_sessions"]) == (
        0, 5)
    assert {"year", "filters", "select"} <= set(figures["actions"]["by_kind"])
    assert figures["latency_ms"]["protocol"]["rerun"]["count"] == figures["actions"]["total"]
    assert figures["errors"]["total"] == 0, figures["errors"]["details"]
    assert figures["isolation"]["held"] is True and figures["isolation"]["violations"] == []
    assert figures["isolation"]["upload"]["widget_found"] is None
    assert isinstance(figures["memory_mb"]["peak"], int | float)
    assert run.returncode == 0, run.stdout + run.stderr
