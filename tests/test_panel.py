"""The country panel's HTML: every text escaped, only http(s) links."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.render.html import records_html, safe_link, span_text, status_summary, years_text

HOSTILE = {
    "record_id": "x-1", "iso3": "GRD", "activity": "peacekeeping", "start_year": 1983,
    "end_year": pd.NA, "start": "1983-10-25", "end": None, "counterpart": "armed_opposition",
    "cuban_body": "<i>x</i>", "reviewed": "2026-11-29", "last_attested": "s2",
    "title": "<script>alert(1)</script>",
    "description": "<img src=x onerror=alert(2)>", "evidence": "alleged",
    "evidence_note": "\" onmouseover=\"alert(3)",
    "sources": [{"source_id": "s1", "title": "<b>bold</b>", "url": "javascript:alert(4)"},
                {"source_id": "s2", "title": "Fine", "url": "https://example.org/a?b=1&c=\"2\""}],
}


def test_hostile_record_text_is_shown_literally():
    html = records_html(pd.DataFrame([HOSTILE]))
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&quot; onmouseover=&quot;alert(3)" in html
    assert 'href="javascript' not in html
    assert "&lt;b&gt;bold&lt;/b&gt; (javascript:alert(4))" in html
    assert ('<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" target="_blank" '
            'rel="noopener noreferrer">Fine</a>') in html
    assert "user-supplied" not in html
    assert "<i>x" not in html and "&lt;i&gt;x&lt;/i&gt;" in html  # an unknown body, escaped
    assert "25 Oct 1983 – ongoing" in html
    assert "against the government: support to armed opposition" in html
    assert "Last attested by: Fine (record reviewed 29 Nov 2026)" in html


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("1979", "1990", "1979 – 1990"), ("1979-07", "1990", "Jul 1979 – 1990"),
    ("2003-04-03", None, "3 Apr 2003 – ongoing"), ("2020", "2020", "2020"),
    ("2019-04-24", "2019-04-24", "24 Apr 2019"),
])
def test_dates_are_shown_as_precisely_as_the_data(start, end, expected):
    assert span_text(start, end) == expected


def test_user_supplied_records_are_marked():
    html = records_html(pd.DataFrame([{**HOSTILE, "user_supplied": True}]))
    assert '<span class="badge user">user-supplied</span>' in html


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.org", '<a href="https://a.org" target="_blank" rel="noopener noreferrer">t</a>'),
    ("HTTP://a.org", '<a href="HTTP://a.org" target="_blank" rel="noopener noreferrer">t</a>'),
    (" javascript:alert(1)", "t ( javascript:alert(1))"),
    ("data:text/html,<script>", "t (data:text/html,&lt;script&gt;)"),
    ("//evil.org", "t (//evil.org)"),
])
def test_only_http_links_become_links(url, expected):
    assert safe_link(url, "t") == expected


def test_years_and_status_summary():
    assert [years_text(1979, 1990), years_text(2003, pd.NA), years_text(2020, 2020)] == [
        "1979–1990", "2003–", "2020"]
    statuses = {"OAS": "member", "ALBA": "member", "MERCOSUR": "suspended"}
    assert status_summary(statuses, 2017) == ("In 2017: member of ALBA, OAS; suspended in "
                                              "MERCOSUR.")
    assert status_summary({}, 1960) == "In 1960: in none of the alliances."


def test_membership_table_lists_every_episode_with_all_its_sources(mini):
    from geo.render.html import membership_table

    table = membership_table(mini.history("PRY"), mini.organisations)
    assert table[["organisation", "status", "from", "until"]].values.tolist() == [
        ["CELAC", "member", "2011-12-03", ""],
        ["MERCOSUR", "member", "1991-03-26", "2012-06-29"],
        ["MERCOSUR", "suspended", "2012-06-29", "2013-08-15"],
        ["MERCOSUR", "member", "2013-08-15", ""]]
    assert table["source"].tolist()[1] == "https://example.org/mercosur"
    assert table["all sources"].tolist()[1] == ["Mercosur — https://example.org/mercosur"]
