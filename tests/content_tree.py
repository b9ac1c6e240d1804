"""Write a valid course of any size, for tests that must not depend on the course's size."""

from __future__ import annotations

from pathlib import Path

QUIZ = """/// quiz | Check your understanding
id: check
pass_mark: 50
questions:
  - question: Which is right?
    options:
      - text: This one
        correct: true
        feedback: Yes, because it is.
      - text: That one
        feedback: No, because it is not.
///
"""

REFLECTION = """/// reflection | Reflect
prompts:
  - id: think
    text: What will you do differently?
///
"""


def write_course(root: Path, key: str = "big-course", modules: int = 6, lessons: int = 8) -> Path:
    course = root / key
    course.mkdir(parents=True)
    (course / "course.md").write_text(
        "---\ntitle: A big course\nsummary: Many lessons.\noutcomes:\n  - Learn a lot\n---\n\nIntro.\n"
    )
    for m in range(1, modules + 1):
        folder = course / f"{m:02d}-module-{m}"
        folder.mkdir()
        (folder / "module.md").write_text(
            f"---\ntitle: Module {m}\nsummary: Module {m}.\noutcomes:\n  - Do thing {m}\n---\n"
        )
        for n in range(1, lessons + 1):
            body = f"## Part one\n\nLesson {n} of module {m} teaches something useful.\n\n{QUIZ}\n{REFLECTION}"
            (folder / f"{n:02d}-lesson-{n}.md").write_text(
                f"---\ntitle: Lesson {m}.{n}\nminutes: 10\n---\n\n{body}"
            )
    return root
