"""The view in session state and in the URL: widget keys are the fields of ``View``."""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.common import user_key_from_element_id

from geo import ACTIVITIES, EVIDENCE, Atlas
from geo.view.state import View


def default_view(atlas: Atlas) -> View:
    """The first view: the latest year, everything selected, the era presets as stops."""
    return View.default(atlas.last_year, sorted(atlas.organisations["org_id"]),
                        stops=atlas.eras["preset_year"].astype(int))


def start_session(atlas: Atlas) -> None:
    """Once per session: set the widgets from the URL, keeping notices for what fell back."""
    if "_started" in st.session_state:
        return
    states = atlas.countries.loc[atlas.countries["kind"] == "state", "iso3"]
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view, notices = View.from_query_params(
        params, default_view(atlas), range(atlas.first_year, atlas.last_year + 1),
        sorted(atlas.organisations["org_id"]), states)
    newer = _sent_by_the_page()
    for field in fields(View):
        if field.name in st.session_state or field.name in newer:  # a reconnected page's
            continue  # first message: its widget values (and callbacks) are newer than the URL
        value = getattr(view, field.name)
        st.session_state[field.name] = list(value) if isinstance(value, tuple) else value
    st.session_state["_notices"] = notices
    st.session_state["_started"] = True


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
    values["stops"] = tuple(values["stops"] or ())
    values["alliances"] = tuple(sorted(values["alliances"] or ()))  # ids in their order
    canonical = {"activities": tuple(ACTIVITIES), "evidence": tuple(EVIDENCE)}
    for name, order in canonical.items():  # multiselects return click order: links and
        chosen = set(values[name] or ())   # caches must not depend on it
        values[name] = tuple(v for v in order if v in chosen)
    return View(**values)


def sync_url(view: View, default: View) -> None:
    """Write the view into the URL (only what differs from the default)."""
    wanted = view.to_query_params(default)
    as_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if as_lists != {k: st.query_params.get_all(k) for k in st.query_params}:
        st.query_params.from_dict(wanted)


def share_url(view: View, default: View) -> str:
    """The URL that reproduces ``view`` in a fresh browser."""
    base = st.context.url or ""
    query = urlencode(view.to_query_params(default), doseq=True)
    return f"{base}?{query}" if query else base
