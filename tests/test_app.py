"""The page's logic, driven through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(**widgets) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    for key, value in widgets.items():
        app.slider(key=key).set_value(value)
        app.run()
    assert not app.exception
    return app


def test_first_load_shows_the_latest_year_without_problems():
    app = run_app()
    assert app.title[0].value == "Alliance Atlas"
    assert app.slider(key="year").value == 2026
    assert not app.warning
    assert [s.value for s in app.subheader] == ["Memberships on 1 July 2026",
                                                 "Cuban cooperation active in 2026"]
    memberships = app.dataframe[0].value
    assert memberships.loc["Venezuela (VEN)", "ALBA"] == "member"
    assert memberships.loc["Bolivia (BOL)", "ALBA"] == "suspended"


def test_moving_the_year_shows_what_held_then():
    app = run_app(year=1967)
    assert app.subheader[0].value == "Memberships on 1 July 1967"
    memberships = app.dataframe[0].value
    assert memberships.loc["Cuba (CUB)", "OAS"] == "suspended"
    assert "ALBA" not in memberships.columns
    records = app.dataframe[1].value
    assert "Bolivia" in set(records["partner"])
    assert all(url.startswith("http") for url in records["source"])
    assert app.expander[0].label.startswith("Sources for this view (")
    cited = app.dataframe[2].value
    assert set(records["source"]) <= set(cited["url"])
    assert cited["url"].is_unique and all(url.startswith("http") for url in cited["url"])


def test_broken_data_shows_a_banner_and_keeps_the_rest(monkeypatch, mini_dir):
    cooperation = mini_dir / "cooperation.csv"
    cooperation.write_text(cooperation.read_text("utf-8").replace("documented", "rumoured", 1),
                           encoding="utf-8")
    monkeypatch.setenv("ATLAS_DATA_DIR", str(mini_dir))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    assert app.warning[0].value == ("1 data problem(s): the rows listed here are left out; "
                                    "everything else is shown.")
    assert app.code[0].value == ("data/cooperation.csv:2: evidence: Input should be "
                                 "'documented', 'reported' or 'alleged'")
    assert app.dataframe[0].value.loc["Venezuela (VEN)", "ALBA"] == "member"
