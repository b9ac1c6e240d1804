"""``flask content check``, ``flask content list`` and ``flask content keys``.

Both read the folder directly, never through the app: ``content_cli`` is a Flask plugin command
(see pyproject.toml), which Flask finds without building the app. So they work even when the content
is broken, which would stop the app from starting.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from leaders.timeutil import uk_today

from . import currency, keys
from .loader import build_report
from .model import Catalogue, Problem, display_path

content_cli = click.Group("content", help="Check and list the course content.")

_DIRECTORY = click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path)
)


def _directory(directory: Path | None) -> Path:
    """DIR if given, else CONTENT_DIR from the environment, else the project's content/ folder."""
    if directory is not None:
        return directory
    # Lazy on purpose: config.py sits at the project root, outside the package, so
    # `flask content check DIR` works from any folder without it.
    from config import Config

    return Path(os.environ.get("CONTENT_DIR") or Config.CONTENT_DIR)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _report(problems: list[Problem], where: str) -> None:
    for problem in problems:
        click.echo(problem.format())
    click.echo(f"Found {_plural(len(problems), 'problem')} in {where}.")


@content_cli.command("check")
@_DIRECTORY
def check_command(directory: Path | None) -> None:
    """Check every content file and list every problem (exit status 1 if there are any).

    Warnings (lessons due for review, no list of published keys) are listed too, but do not
    make the check fail.
    """
    folder = _directory(directory)
    where = display_path(folder.absolute())
    report = build_report(folder)
    catalogue = report.catalogue
    warnings = list(report.warnings)
    if catalogue is not None:
        warnings += currency.warnings(catalogue, uk_today())
    for warning in warnings:
        click.echo(warning.format())
    if report.problems or catalogue is None:
        _report(report.problems, where)
        raise SystemExit(1)
    modules = sum(len(course.modules) for course in catalogue)
    noted = f" ({_plural(len(warnings), 'warning')})" if warnings else ""
    click.echo(
        f"Content in {where} is valid{noted}: {_plural(len(catalogue.courses), 'course')}, "
        f"{_plural(modules, 'module')}, {_plural(len(catalogue.lessons), 'lesson')}."
    )


@content_cli.command("list")
@_DIRECTORY
@click.option(
    "--stale",
    is_flag=True,
    help="List only the lessons past their review date or never reviewed.",
)
def list_command(directory: Path | None, stale: bool) -> None:
    """Show every course, module and lesson with keys, versions, word counts and minutes."""
    folder = _directory(directory)
    catalogue = _valid(folder)
    click.echo(format_stale(catalogue) if stale else format_tree(catalogue))


@content_cli.command("keys")
@_DIRECTORY
def keys_command(directory: Path | None) -> None:
    """Record every lesson key in published-keys.txt (adding new ones, never removing any)."""
    folder = _directory(directory)
    report = build_report(folder, require_recorded=False)
    if report.problems or report.catalogue is None:
        _report(report.problems, display_path(folder.absolute()))
        raise SystemExit(1)
    added = keys.record(folder, report.keys)
    where = display_path((folder / keys.MANIFEST).absolute())
    for key in added:
        click.echo(f"Recorded {key}")
    if added:
        click.echo(f"Recorded {_plural(len(added), 'new lesson key')} in {where}.")
    else:
        click.echo(f"{where} already lists every lesson key.")


def _valid(folder: Path) -> Catalogue:
    report = build_report(folder)
    if report.problems or report.catalogue is None:
        _report(report.problems, display_path(folder.absolute()))
        raise SystemExit(1)
    return report.catalogue


def format_stale(catalogue: Catalogue) -> str:
    """The lessons due for review, oldest first, each with its dates and file."""
    today = uk_today()
    lessons = sorted(
        currency.stale(catalogue, today),
        key=lambda lesson: (lesson.review_by is not None, lesson.review_by or today, lesson.key),
    )
    if not lessons:
        return (
            f"No lessons are due for review ({_plural(len(catalogue.lessons), 'lesson')} checked)."
        )
    lines = []
    for lesson in lessons:
        if lesson.reviewed is None or lesson.review_by is None:
            when = "never reviewed"
        else:
            when = f"due {lesson.review_by.isoformat()} (reviewed {lesson.reviewed.isoformat()})"
        lines.append(f"{lesson.key}  {when}  {lesson.title}  {display_path(lesson.source_path)}")
    lines.append(f"{_plural(len(lessons), 'lesson')} of {len(catalogue.lessons):,} due for review.")
    return "\n".join(lines)


def format_tree(catalogue: Catalogue) -> str:
    """The catalogue as an indented tree, with totals for each module and course."""
    width = max((len(key) for key in catalogue.lessons), default=0)
    lines = []
    for course in catalogue:
        lines.append(
            f"{course.key}  {course.title}  ({_plural(len(course.lessons), 'lesson')}, "
            f"{_plural(course.word_count, 'word')}, {course.minutes} min)"
        )
        for module in course.modules:
            lines.append(
                f"  {module.key}  {module.title}  ({_plural(len(module.lessons), 'lesson')}, "
                f"{_plural(module.word_count, 'word')}, {module.minutes} min)"
            )
            for lesson in module.lessons:
                extras = []
                if lesson.quizzes:
                    count = len(lesson.quizzes)
                    extras.append(f"{count} {'quiz' if count == 1 else 'quizzes'}")
                if lesson.prompts:
                    extras.append(_plural(len(lesson.prompts), "prompt"))
                if lesson.aliases:
                    extras.append("aliases: " + ", ".join(lesson.aliases))
                extra = f"  [{'; '.join(extras)}]" if extras else ""
                lines.append(
                    f"    {lesson.key:<{width}}  {lesson.version}  {lesson.word_count:>6,} words  "
                    f"{lesson.minutes:>3} min  {lesson.title}{extra}"
                )
    total_words = sum(course.word_count for course in catalogue)
    total_minutes = sum(course.minutes for course in catalogue)
    lines.append(
        f"Total: {_plural(len(catalogue.courses), 'course')}, "
        f"{_plural(len(catalogue.modules), 'module')}, {_plural(len(catalogue.lessons), 'lesson')}, "
        f"{_plural(total_words, 'word')}, {total_minutes} min."
    )
    return "\n".join(lines)
