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
