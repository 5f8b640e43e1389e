"""The dashboard's Streamlit layer: widgets, panels and briefing tools. ``app.py`` composes it;
the logic lives in ``geo`` (which never imports Streamlit).
"""
