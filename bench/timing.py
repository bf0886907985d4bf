"""Small timing helpers shared by the benchmarks: run a callable, report median and p95 in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def row(self, reference: Timing | None = None) -> str:
        ratio = f"{self.median / reference.median:8.2f}×" if reference and reference.median else " " * 9
        return f"{self.name:48} {self.median:10.3f} {self.p95:10.3f} {ratio}  n={len(self.samples_ms)}"


def measure(name: str, action: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> Timing:
    samples = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(name, samples)


def header(title: str) -> str:
    return f"\n{title}\n{'':48} {'median ms':>10} {'p95 ms':>10} {'vs ref':>9}"


def anonymous_app(home):
    """The web app on the instance at `home` (its log quiet) and a getter of anonymous pages that must answer 200:
    `app, get = anonymous_app(home)`; `get(url)` is the body's bytes."""
    import logging

    from toolkit.config import Settings
    from webui import create_app

    logging.getLogger("webui").setLevel(logging.ERROR)
    app = create_app(Settings(home=home))
    client = app.test_client()

    def get(url: str) -> bytes:
        response = client.get(url)
        data = response.get_data()
        response.close()
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: expected 200, got {response.status_code}\n{data[:2000]!r}")
        return data

    return app, get
