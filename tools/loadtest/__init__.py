"""A load test of the dashboard on loopback: many real Chromium sessions at once.

``python -m tools.loadtest`` starts the real server (``streamlit run app.py`` with the repository's
``.streamlit/config.toml``), opens N pages in one headless Chromium (one browser context each,
so each is its own Streamlit session with its own cookies), and lets every session change the
year and select countries for a bounded time. It reports errors, rerun latency, the server's
memory and whether any session ever saw another session's selection or uploaded records.

``python -m tools.loadtest --protocol`` drives websocket protocol clients only (no Chromium), so
the server alone is measured; they change the year, the alliance filter and the country.
``python -m tools.loadtest --quick`` is the CI variant (fewer sessions, shorter). See
``python -m tools.loadtest --help`` and ``docs/deploy.md``.
"""

from tools.loadtest.runner import Options, run

__all__ = ["Options", "run"]
