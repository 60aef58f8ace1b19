"""Wall-clock time per build phase, for `modelcat build --timings` and benchmarks/run.py.

One process-wide accumulator: phases nest freely and are summed by name.
The cost is one perf_counter pair per `with`, so it is always on.
"""

from __future__ import annotations

import time
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self.totals: dict[str, float] = {}

    def reset(self) -> None:
        self.totals = {}

    @contextmanager
    def __call__(self, phase: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(phase, time.perf_counter() - start)

    def add(self, phase: str, seconds: float) -> None:
        self.totals[phase] = self.totals.get(phase, 0.0) + seconds

    def lines(self) -> list[str]:
        return [f"timing: {name}: {secs:.3f} s" for name, secs in self.totals.items()]


timings = Timings()
