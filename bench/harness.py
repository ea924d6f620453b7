"""Timing helpers: a figure and its baseline, measured interleaved in the same run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def _timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def compare(
    figure: Callable[[], object], baseline: Callable[[], object], *, repeat: int = 30, warmup: int = 3
) -> tuple[float, float]:
    """Median seconds of each, alternating calls so machine noise hits both alike."""
    for _ in range(warmup):
        figure()
        baseline()
    figures, baselines = [], []
    for _ in range(repeat):
        figures.append(_timed(figure))
        baselines.append(_timed(baseline))
    return statistics.median(figures), statistics.median(baselines)


def report(name: str, figure: float, baseline_name: str, baseline: float) -> None:
    ratio = figure / baseline if baseline else float("inf")
    print(
        f"{name:<40} {figure * 1000:8.2f} ms   baseline ({baseline_name}) {baseline * 1000:8.2f} ms"
        f"   ratio {ratio:5.2f}x"
    )
