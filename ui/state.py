"""The view in session state and in the URL: widget keys are the fields of ``View``; the
briefing deck travels beside it (session key ``_deck``, query parameter ``deck``)."""

from __future__ import annotations

from dataclasses import fields, replace
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from geo import ACTIVITIES, EVIDENCE, Atlas
from geo.view import deck as decks
from geo.view.deck import Deck, DeckError, Stop
from geo.view.state import View, parse_year

DECK_PARAMS = ("deck", "stops")  # read here, not by the view's parser ("stops": older links)


def default_view(atlas: Atlas) -> View:
    """The first view: the latest year, everything selected."""
    return View.default(atlas.last_year, sorted(atlas.organisations["org_id"]))


def default_deck(atlas: Atlas, default: View) -> Deck:
    """The first deck: one stop per era, at its preset year, titled with the era's name."""
    return tuple(Stop(view=replace(default, year=int(year)), title=str(label))
                 for year, label in zip(atlas.eras["preset_year"], atlas.eras["label"],
                                        strict=True))


def view_parser(atlas: Atlas, default: View) -> decks.ViewParser:
    """Reads a view from query parameters, checked against this atlas (as a link is)."""
    states = atlas.states["iso3"]

    def parse(params):
        return View.from_query_params(params, default, atlas.years,
                                      sorted(atlas.organisations["org_id"]), states)
    return parse


def deck() -> Deck:
    """The session's briefing deck."""
    return st.session_state.get("_deck", ())


def _deck_from_params(params: dict, atlas: Atlas, default: View) -> tuple[Deck, list[str]]:
    """The deck a link asks for (``deck=``, or the older ``stops=`` years), else the default."""
    if raw := params.get("deck"):
        try:
            return decks.from_link(raw[-1], view_parser(atlas, default))
        except DeckError as error:
            return default_deck(atlas, default), [f"{error} The era stops are shown instead."]
    if raw := params.get("stops"):
        years = [y for y in map(parse_year, raw[-1].split(",")[:decks.MAX_STOPS])
                 if y in atlas.years]
        return tuple(Stop(view=replace(default, year=y)) for y in years), []
    return default_deck(atlas, default), []


def start_session(atlas: Atlas) -> None:
    """Once per session: set the widgets from the URL, keeping notices for what fell back."""
    if "_started" in st.session_state:
        return
    states = atlas.states["iso3"]
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    default = default_view(atlas)
    view, notices = View.from_query_params(
        {k: v for k, v in params.items() if k not in DECK_PARAMS}, default,
        range(atlas.first_year, atlas.last_year + 1), sorted(atlas.organisations["org_id"]),
        states)
    st.session_state["_deck"], deck_notices = _deck_from_params(params, atlas, default)
    notices += deck_notices
    newer = _sent_by_the_page()
    for field in fields(View):
        if field.name in st.session_state or field.name in newer:  # a reconnected page's
            continue  # first message: its widget values (and callbacks) are newer than the URL
        value = getattr(view, field.name)
        st.session_state[field.name] = list(value) if isinstance(value, tuple) else value
    st.session_state["_notices"] = notices
    st.session_state["_started"] = True
    if newer:
        st.session_state["_reconnected"] = True  # see settle()


def settle() -> None:
    """At the end of a run. A page that reconnects to a new session (a restarted or another
    replica) sends its widgets' values, but Streamlit reads a value only once its widget is
    drawn: in that first run, the view read before the map's fragment and the panel drew their
    widgets misses their values (the country), so the run writes no URL and the page is run
    again, now with every value."""
    if st.session_state.pop("_reconnected", False):
        st.rerun()


def _sent_by_the_page() -> set[str]:
    """Keys of the widget values the page sent with this run. A new page sends none; a page
    that reconnects to a new session (a restarted or another replica) sends its widgets' values,
    which Streamlit maps to keys only once the widgets are drawn: it has no public API for this.
    """
    try:
        states = get_script_run_ctx().session_state._state._new_widget_state.states
    except AttributeError:  # pragma: no cover - Streamlit's internals changed
        return set()
    return {key for widget_id in states if (key := user_key_from_element_id(widget_id))}


def current_view(default: View) -> View:
    """The view the widgets hold now (a widget not drawn in this run keeps its default)."""
    values = {f.name: st.session_state.get(f.name, getattr(default, f.name))
              for f in fields(View)}
    values["alliances"] = tuple(sorted(values["alliances"] or ()))  # ids in their order
    canonical = {"activities": tuple(ACTIVITIES), "evidence": tuple(EVIDENCE)}
    for name, order in canonical.items():  # multiselects return click order: links and
        chosen = set(values[name] or ())   # caches must not depend on it
        values[name] = tuple(v for v in order if v in chosen)
    return View(**values)


def sync_url(view: View, default: View, default_stops: Deck) -> None:
    """Write the view and the deck into the URL (only what differs from the defaults); not in
    a reconnected page's first run (:func:`settle`)."""
    if st.session_state.get("_reconnected"):
        return
    wanted = query_params(view, default, default_stops)
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if as_lists != {k: st.query_params.get_all(k) for k in st.query_params}:
        st.query_params.from_dict(wanted)


def query_params(view: View, default: View, default_stops: Deck) -> dict:
    """The view's parameters, plus ``deck`` when the deck is not the default one."""
    params = view.to_query_params(default)
    if deck() != default_stops:
        params["deck"] = decks.to_link(deck(), default)
    return params


def share_url(view: View, default: View, default_stops: Deck) -> str:
    """The URL that reproduces ``view`` and the deck in a fresh browser."""
    base = st.context.url or ""
    query = urlencode(query_params(view, default, default_stops), doseq=True)
    return f"{base}?{query}" if query else base
