"""The Python runtime as production runs it: garbage collection tuned for a web worker.

A page like the 1,000-learner dashboard allocates many small objects (~1.75 MB of HTML). With
CPython's default thresholds (700, 10, 10) that set off a full collection about every other
request, and a full collection walks every object alive — the app's templates, the course, the
SQLAlchemy mappers — which took ~90 ms of a 216 ms page (issue 19). Two changes:

- `gc.freeze()` once the app is built: what exists at start-up lives for the life of the process
  and is moved out of the collector's sight, so collections only walk what requests made (and,
  under gunicorn's fork, the frozen pages stay shared instead of being copied on write).
- A larger first-generation threshold, so the young-generation pass runs every 50,000 allocations
  rather than every 700: the short-lived objects of one request are mostly freed by reference
  counting before it, and cycles (SQLAlchemy's) still go at the next pass.

`bench/dashboard.py` measures with the same settings, as production has them.
"""

from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 20)


def tune_gc() -> None:
    """Call once the app is built (in each gunicorn worker, or in the process that serves)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
