"""The render floor: the folium map and Leaflet plumbing, charts, panel HTML, the slide."""
