"""Developer tools beside the product: the benchmark, the load test, the geometry build and the
harness they and the browser tests share (server start, Chromium, waits, percentiles)."""
