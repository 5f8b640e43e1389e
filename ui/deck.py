"""The briefing deck's editor: add the view on screen (with the map's extent, read in the browser
only when asked) as a stop, give it a title and a note, reorder, delete, go to a stop; save and
open the deck as a JSON file; download it as a PDF or a PowerPoint file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import streamlit as st

from geo import Atlas
from geo.io import exports
from geo.render import powerpoint, slide
from geo.view import deck as decks
from geo.view.deck import Extent, Stop
from geo.view.scene import describe
from geo.view.state import View
from ui import cache, plain
from ui.map_view import MAP_FRAME
from ui.presenter import apply_stop
from ui.state import current_view, deck, view_parser

# A button that reads the map's view in the browser (the map's frame is on the same origin)
# and sends it once, so panning and zooming never rerun the page.
_READER_JS = """
export default function ({ parentElement, data, setTriggerValue }) {
  const button = parentElement.querySelector("button");
  button.textContent = data.label;
  button.onclick = () => {
    const frame = document.querySelector(MAP_FRAME);
    const map = frame && frame.contentWindow && frame.contentWindow.map;
    if (!map) { setTriggerValue("view", { missing: true }); return; }
    const b = map.getBounds();
    setTriggerValue("view", { bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                              zoom: map.getZoom() });
  };
}
""".replace("MAP_FRAME", json.dumps(MAP_FRAME))
_READER_CSS = """
button { font: inherit; font-size: .875rem; padding: .3rem .75rem; min-height: 2.4rem;
  border-radius: .5rem; border: 1px solid rgba(49, 51, 63, .2); background: #fff;
  color: rgb(49, 51, 63); cursor: pointer; width: 100%; }
button:hover { border-color: #ff4b4b; color: #ff4b4b; }
"""
map_view_button = st.components.v2.component(
    "atlas_map_view_button", html="<button type='button'></button>", css=_READER_CSS,
    js=_READER_JS)


def read_map_view(label: str, key: str, on_read: Callable[[Extent | None], None]) -> None:
    """A button that reads the map's extent when clicked and calls ``on_read`` with it (None
    when the map could not be read), as a callback: before the page reruns."""
    def read() -> None:
        value = (st.session_state.get(key) or {}).get("view")
        bounds = value.get("bounds") if isinstance(value, dict) else None
        on_read(Extent.from_list([*bounds, value.get("zoom")])
                if isinstance(bounds, list) else None)

    map_view_button(key=key, data={"label": label}, on_view_change=read, height=42)


def _set_deck(stops) -> None:
    """Replace the deck, forgetting the editor's widget values (they follow the positions)."""
    st.session_state["_deck"] = tuple(stops)
    st.session_state["_stop"] = None
    for key in [k for k in st.session_state if str(k).startswith(("stop_title_", "stop_note_"))]:
        del st.session_state[key]


def _add(default: View, extent: Extent | None) -> None:
    """Callback: the view on screen, framed as the map is, becomes the deck's last stop."""
    stops = deck()
    if len(stops) >= decks.MAX_STOPS:
        st.session_state["_deck_message"] = [f"A deck holds at most {decks.MAX_STOPS} stops."]
        return
    view = replace(current_view(default), present=False)
    _set_deck([*stops, Stop(view=view, extent=extent)])
    st.session_state["_stop"] = len(stops)


def _move(index: int, step: int) -> None:
    stops = list(deck())
    stops[index], stops[index + step] = stops[index + step], stops[index]
    _set_deck(stops)


def _delete(index: int) -> None:
    _set_deck(s for i, s in enumerate(deck()) if i != index)


def _edit(index: int, field: str) -> None:
    limit = decks.MAX_TITLE if field == "title" else decks.MAX_NOTE
    text = decks.clean_text(st.session_state.get(f"stop_{field}_{index}"), limit)
    stops = list(deck())
    stops[index] = replace(stops[index], **{field: text})
    st.session_state["_deck"] = tuple(stops)


def _open_file(atlas: Atlas, default: View) -> None:
    uploaded = st.session_state.get("deck_file")
    if uploaded is None:
        return
    try:
        stops, notices = decks.from_json(uploaded.getvalue(), view_parser(atlas, default))
    except decks.DeckError as error:
        st.session_state["_deck_message"] = [f"Not opened: {error}"]
        return
    _set_deck(stops)
    words = f"Opened {uploaded.name!r}: {len(stops)} stop(s)."
    st.session_state["_deck_message"] = [words, *notices]


def deck_editor(atlas: Atlas, default: View) -> None:
    """The deck, in an expander that stays open while it is edited (drawn only while open)."""
    stops = deck()
    with st.expander("Briefing deck: stops, their titles and notes", key="deck_open",
                     on_change="rerun") as box:
        if not box.open:
            return
        left, right = st.columns([1, 2], vertical_alignment="center")
        with left:
            read_map_view("＋ Add this view as a stop", "add_stop", partial(_add, default))
        right.caption("A stop keeps the year, filters, colour mode, country, comparison and the "
                      "map's extent. Step through the stops with Previous/Next stop (PageUp / "
                      "PageDown) in presentation mode.")
        for index, stop in enumerate(stops):
            _stop_row(atlas, index, stop, len(stops))
        _files(atlas, default)


def _stop_row(atlas: Atlas, index: int, stop: Stop, count: int) -> None:
    number, title, note, buttons = st.columns([0.35, 2.4, 3.6, 2.2],
                                              vertical_alignment="center")
    number.markdown(f"**{index + 1}**")
    for field, text in (("title", stop.title), ("note", stop.note)):
        st.session_state.setdefault(f"stop_{field}_{index}", text)  # the widget's value: set
    title.text_input("Title", key=f"stop_title_{index}",  # once, never passed again
                     max_chars=decks.MAX_TITLE, placeholder=f"Title (e.g. {stop.view.year})",
                     on_change=_edit, args=(index, "title"), label_visibility="collapsed")
    note.text_input("Note", key=f"stop_note_{index}",
                    max_chars=decks.MAX_NOTE, placeholder="A short note for the audience",
                    on_change=_edit, args=(index, "note"), label_visibility="collapsed")
    go, up, down, delete = buttons.columns(4)
    go.button("Go", key=f"stop_go_{index}", on_click=apply_stop, args=(index,),
              help="Show this stop")
    up.button("↑", key=f"stop_up_{index}", on_click=_move, args=(index, -1),
              disabled=index == 0, help="Move up")
    down.button("↓", key=f"stop_down_{index}", on_click=_move, args=(index, 1),
                disabled=index == count - 1, help="Move down")
    delete.button("✕", key=f"stop_delete_{index}", on_click=_delete, args=(index,),
                  help="Delete this stop")
    framed = "the whole region" if stop.extent is None else "the map as it was framed"
    st.caption(f"{describe(stop.view, atlas)}; {framed}.")


def _files(atlas: Atlas, default: View) -> None:
    """Save and open the deck as JSON; download it as PDF or PowerPoint."""
    stops = deck()
    # a file's name and contents: plain text only
    plain.notices(st.session_state.pop("_deck_message", []))
    save, pdf, pptx = st.columns(3)
    save.download_button("Save the deck (JSON)", decks.to_json(stops, default),
                         file_name="alliance-atlas-deck.json", mime="application/json",
                         on_click="ignore", key="deck_json", width="stretch")
    pdf.download_button("Deck as PDF (a slide per stop)", lambda: deck_pdf(atlas),
                        file_name="alliance-atlas-deck.pdf", mime="application/pdf",
                        on_click="ignore", key="deck_pdf", width="stretch",
                        disabled=not stops)
    pptx.download_button("Deck as PowerPoint", lambda: deck_pptx(atlas),
                         file_name="alliance-atlas-deck.pptx", mime=powerpoint.MIME,
                         on_click="ignore", key="deck_pptx", width="stretch",
                         disabled=not stops)
    st.file_uploader("Open a saved deck (JSON)", type=["json"], key="deck_file",
                     on_change=_open_file, args=(atlas, default))
    if st.button("Start a new, empty deck", key="deck_clear", disabled=not stops):
        _set_deck(())
        st.rerun()


def _slides(atlas: Atlas) -> list[slide.Slide]:
    return [slide.Slide(cache.scene(atlas, s.view), s.label(i), s.note, s.extent)
            for i, s in enumerate(deck(), start=1)]


def deck_pdf(atlas: Atlas) -> bytes:
    """The deck as one PDF, a slide per stop."""
    return slide.slides_pdf(atlas, _slides(atlas))


def deck_pptx(atlas: Atlas) -> bytes:
    """The deck as a PowerPoint file: a slide per stop, sources in the speaker notes."""
    return powerpoint.deck_pptx(atlas, _slides(atlas), exports.TITLE)

