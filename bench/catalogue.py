"""Benchmark the catalogue: cold load (empty cache) against warm load (cache filled).

Run: ``.venv/bin/python bench/catalogue.py [--lessons-per-module 50] [--modules 20] [--warm-runs 5]``

Generates 1,000 lessons of about 1,000 words each (every block kind in each) in a temporary
folder, then times each load in a fresh subprocess, so imports and memory start clean. Prints
lessons per second cold and warm, the speed-up, and the peak memory of any load (maxrss, MB);
the last line is one JSON object.

Targets on a 2-core machine: warm load under 1 s, at least 20x faster than cold, peak under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The timed part is importing the catalogue package and loading. Importing the ``leaders`` package
# itself (the app factory's module, which imports Flask) comes first and is reported separately:
# an app pays it whether or not it has a catalogue.
_CHILD = """
import json, resource, sys, time
started = time.perf_counter()
import leaders
app_import = time.perf_counter() - started
started = time.perf_counter()
from leaders.catalogue import load_catalogue
catalogue = load_catalogue(sys.argv[1], sys.argv[2])
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "app_import": app_import, "peak_mb": peak_mb,
                  "lessons": len(catalogue.lessons), "rendered": catalogue.stats.rendered,
                  "cached": catalogue.stats.cached}))
"""

_WORDS = (
    "place", "council", "partners", "health", "police", "leaders", "system", "evidence",
    "purpose", "network", "trust", "budget", "housing", "community", "services", "people",
    "outcomes", "public", "local", "area", "change", "together", "problem", "plan", "shared",
    "vision", "data", "decision", "risk", "care", "school", "transport", "voluntary", "sector",
    "neighbourhood", "integrated", "board", "authority", "collaboration", "learning", "practice",
    "action", "levers",
)  # fmt: skip
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        size = min(left, rng.randint(8, 18))
        out.append(_sentence(rng, size))
        left -= size
    return " ".join(out)


def _lesson(rng: random.Random, module: str, number: int, lessons: int) -> str:
    """About 1,000 words using every block kind, a table, a footnote, a link and an image."""
    target = f"{module}/lesson-{number % lessons + 1:02d}"
    p = lambda words: _paragraph(rng, words)  # noqa: E731
    return f"""---
title: Lesson {number} of {module}
minutes: {rng.randint(5, 30)}
summary: {_sentence(rng, 10)}
aliases:
  - old-lesson-{number:02d}
---

{p(90)}

## {_sentence(rng, 3)[:-1]}

{p(110)}[^source]

/// note | Remember
{p(40)}
///

- {_sentence(rng, 8)}
- {_sentence(rng, 8)}
- {_sentence(rng, 8)}

| Body | Lever | Spend |
|---|---|--:|
| Council | {_sentence(rng, 3)} | 120 |
| Trust | {_sentence(rng, 3)} | 75 |

## {_sentence(rng, 3)[:-1]}

{p(110)} See [the next lesson](lesson:{target}).

/// key-idea | {_sentence(rng, 4)[:-1]}
{p(40)}
///

/// case-study | {_sentence(rng, 4)[:-1]}
{p(100)}
///

![A diagram of the partners](diagram.png)

## {_sentence(rng, 3)[:-1]}

{p(110)}

//// activity | {_sentence(rng, 4)[:-1]}
1. {_sentence(rng, 10)}
2. {_sentence(rng, 10)}

/// details | {_sentence(rng, 3)[:-1]}
{p(60)}
///
////

/// quiz | Check your understanding
id: check-{number}
pass_mark: 60
questions:
  - question: {_sentence(rng, 12)}
    options:
      - text: {_sentence(rng, 5)}
        correct: true
        feedback: {_sentence(rng, 10)}
      - text: {_sentence(rng, 5)}
        feedback: {_sentence(rng, 10)}
      - text: {_sentence(rng, 5)}
        feedback: {_sentence(rng, 10)}
  - question: {_sentence(rng, 12)}
    options:
      - text: {_sentence(rng, 5)}
        correct: true
        feedback: {_sentence(rng, 10)}
      - text: {_sentence(rng, 5)}
        correct: true
        feedback: {_sentence(rng, 10)}
      - text: {_sentence(rng, 5)}
        feedback: {_sentence(rng, 10)}
///

## {_sentence(rng, 3)[:-1]}

{p(110)}

/// reflection | Reflect on your practice
prompts:
  - id: first-{number}
    text: {_sentence(rng, 10)}
  - id: second-{number}
    text: {_sentence(rng, 10)}
///

{p(60)}

[^source]: {_sentence(rng, 6)}
"""


def generate(root: Path, modules: int, lessons: int) -> int:
    rng = random.Random(20240501)
    course = root / "bench-course"
    course.mkdir(parents=True)
    header = "---\ntitle: {t}\nsummary: {s}\noutcomes:\n  - {o}\n---\n\n{b}\n"
    (course / "course.md").write_text(
        header.format(
            t="Bench course", s=_sentence(rng, 8), o=_sentence(rng, 6), b=_paragraph(rng, 60)
        )
    )
    for m in range(1, modules + 1):
        slug = f"module-{m:02d}"
        folder = course / f"{m:02d}-{slug}"
        folder.mkdir()
        (folder / "module.md").write_text(
            header.format(
                t=f"Module {m}", s=_sentence(rng, 8), o=_sentence(rng, 6), b=_paragraph(rng, 40)
            )
        )
        (folder / "diagram.png").write_bytes(_PNG)
        for n in range(1, lessons + 1):
            (folder / f"{n:02d}-lesson-{n:02d}.md").write_text(_lesson(rng, slug, n, lessons))
    return modules * lessons


def _load(content: Path, cache: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(content), str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", type=int, default=20)
    parser.add_argument("--lessons-per-module", type=int, default=50)
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leaders-bench-") as temporary:
        root = Path(temporary)
        count = generate(root / "content", args.modules, args.lessons_per_module)
        words = sum(len(p.read_text().split()) for p in (root / "content").rglob("*.md"))
        print(f"Generated {count} lessons, {words:,} words of source, in {root / 'content'}")
        cold = _load(root / "content", root / "cache")
        assert cold["lessons"] == count, cold
        assert cold["cached"] == 0, cold
        print(
            f"cold: {cold['seconds']:.2f} s, {count / cold['seconds']:,.0f} lessons/s, "
            f"rendered {cold['rendered']:.0f}, peak {cold['peak_mb']:.0f} MB"
        )
        warm_runs = []
        for _ in range(args.warm_runs):
            warm = _load(root / "content", root / "cache")
            assert warm["rendered"] == 0, warm
            warm_runs.append(warm)
            print(
                f"warm: {warm['seconds']:.3f} s, {count / warm['seconds']:,.0f} lessons/s, "
                f"rendered {warm['rendered']:.0f}, peak {warm['peak_mb']:.0f} MB "
                f"(before that, importing the leaders app package took {warm['app_import']:.3f} s)"
            )
        warm_s = statistics.median(run["seconds"] for run in warm_runs)
        peak = max([cold["peak_mb"], *(run["peak_mb"] for run in warm_runs)])
        speedup = cold["seconds"] / warm_s
        print(
            f"cold {count / cold['seconds']:,.0f} lessons/s; warm (median of {len(warm_runs)}) "
            f"{count / warm_s:,.0f} lessons/s; speed-up {speedup:.1f}x; peak {peak:.0f} MB"
        )
        summary = {
            "lessons": count,
            "cold_s": round(cold["seconds"], 3),
            "warm_s": round(warm_s, 3),
            "speedup": round(speedup, 1),
            "peak_mb": round(peak, 1),
        }
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
