"""Input and output: uploaded spreadsheets read and checked, data exports of a view."""
