"""The briefing deck as a PowerPoint file (python-pptx): one 16:9 slide per stop with the stop's
title and note as editable text above the slide image (map, legend, year and filters in words,
source line), and the stop's sources in the speaker notes."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from geo.data.atlas import Atlas
from geo.render.slide import USER_MARK, Slide, _user_supplied, slide_png
from geo.view.scene import describe

__all__ = ["MIME", "deck_pptx"]

MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # PowerPoint's 16:9
BAR = Inches(0.95)  # the title bar above the image


def deck_pptx(atlas: Atlas, slides: list[Slide], title: str) -> bytes:
    """A presentation with a slide per stop; its core title is ``title``."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = title
    blank = deck.slide_layouts[6]
    for one in slides:
        page = deck.slides.add_slide(blank)
        image = io.BytesIO(slide_png(atlas, one.scene, title, extent=one.extent))
        height = HEIGHT - BAR
        width = Emu(int(height * 16 / 9))
        page.shapes.add_picture(image, (WIDTH - width) // 2, BAR, width, height)
        box = page.shapes.add_textbox(Inches(0.4), Inches(0.1), WIDTH - Inches(0.8), BAR)
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = one.title
        frame.paragraphs[0].runs[0].font.size = Pt(26)
        frame.paragraphs[0].runs[0].font.bold = True
        if one.note:
            note = frame.add_paragraph()
            note.text = one.note
            note.runs[0].font.size = Pt(14)
        page.notes_slide.notes_text_frame.text = speaker_notes(atlas, one)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def speaker_notes(atlas: Atlas, one: Slide) -> str:
    """The stop's note, its view in words and every source behind it, one per line."""
    scene = one.scene
    sources = scene.sources
    lines = [one.note] if one.note else []
    lines.append(f"{scene.view.year}: {describe(scene.view, atlas)}.")
    if _user_supplied(scene):
        lines.append(f"{USER_MARK}.")
    lines.append(f"Sources ({len(sources)}), Alliance Atlas reviewed "
                 f"{atlas.reviewed.isoformat()}:")
    lines += [f"- {s.title} — {s.publisher} — {s.url}" for s in sources.itertuples()]
    return "\n".join(lines)
