"""Quiz and reflection blocks: their YAML → checked specs (still Markdown), with problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import yamlnodes
from .model import Problem
from .parse import SLUG_RE, fingerprint, unknown_setting
from .scan import Special
from .yamlnodes import Node

DEFAULT_QUIZ_TITLE = "Check your understanding"
DEFAULT_REFLECTION_TITLE = "Reflect on your practice"

_QUIZ_FIELDS = ["id", "pass_mark", "questions"]
_QUESTION_FIELDS = ["question", "multiple", "options"]
_OPTION_FIELDS = ["text", "correct", "feedback"]
_REFLECTION_FIELDS = ["prompts"]
_PROMPT_FIELDS = ["id", "text"]


@dataclass(frozen=True, slots=True)
class OptionSpec:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    text: str
    multiple: bool
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True, slots=True)
class QuizSpec:
    id: str
    title: str
    pass_mark: int | None
    questions: tuple[QuestionSpec, ...]
    version: str
    line: int


@dataclass(frozen=True, slots=True)
class ReflectionSpec:
    title: str
    #: (id, text, line) of each prompt.
    prompts: tuple[tuple[str, str, int], ...]
    line: int


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, message))


def _load(special: Special, what: str, out: _Problems) -> Node | None:
    try:
        root, duplicates = yamlnodes.load(special.yaml, first_line=special.line + 1)
    except yamlnodes.YamlProblem as error:
        out.add(error.line, f"{what} settings are not valid YAML: {error.message}")
        return None
    for line, message in duplicates:
        out.add(line, f"{what} setting {message}")
    return root


def _is_id(text: str | None) -> bool:
    return text is not None and SLUG_RE.fullmatch(text) is not None


def _unknown(node: Node, names: list[str], what: str, prefix: str, out: _Problems) -> None:
    for key, child in node.value.items():
        if key not in names:
            out.add(child.line, f"{prefix}{unknown_setting(key, names, what)}")


def _text(node: Node | None) -> str | None:
    if node is None or node.is_list or node.is_mapping:
        return None
    text = node.as_text()
    return text.strip() if text is not None and text.strip() else None


def parse_quiz(path: Path, special: Special) -> tuple[QuizSpec | None, list[Problem]]:
    out = _Problems(path)
    root = _load(special, "quiz", out)
    if out.items:
        return None, out.items
    if root is None or not root.is_mapping:
        line = special.line if root is None else root.line
        out.add(
            line,
            'quiz settings must start with "id:" and then "questions:", each question with '
            '"question:" and "options:"',
        )
        return None, out.items
    fields: dict[str, Node] = root.value
    quiz_id = _text(fields.get("id"))
    if quiz_id is None:
        out.add(
            special.line,
            'quiz has no id: add a line like "id: check-your-understanding" (attempts are stored '
            "against it, so never change it)",
        )
        label = "quiz"
    elif not _is_id(quiz_id):
        out.add(
            fields["id"].line,
            f'quiz id "{quiz_id}" is not valid: use lower-case letters, digits and hyphens only, '
            "like check-your-understanding",
        )
        label = "quiz"
    else:
        label = f'quiz "{quiz_id}"'
    _unknown(root, _QUIZ_FIELDS, "a quiz's", f"{label}: ", out)

    pass_mark = None
    if (node := fields.get("pass_mark")) is not None and node.value is not None:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            out.add(node.line, f"{label}: pass_mark must be a whole number from 1 to 100")
        else:
            pass_mark = value

    questions_node = fields.get("questions")
    questions: list[QuestionSpec] = []
    if questions_node is None or questions_node.value is None or questions_node.value == []:
        out.add(
            special.line if questions_node is None else questions_node.line,
            f'{label} has no questions: add at least one under "questions:"',
        )
    elif not questions_node.is_list:
        out.add(
            questions_node.line,
            f'{label}: questions must be a list, each question starting with "- question:"',
        )
    else:
        for number, node in enumerate(questions_node.value, start=1):
            question = _parse_question(node, f"{label}: question {number}", out)
            if question is not None:
                questions.append(question)
    if out.items or quiz_id is None:
        return None, out.items
    title = special.title or DEFAULT_QUIZ_TITLE
    version = fingerprint(special.yaml)
    return QuizSpec(quiz_id, title, pass_mark, tuple(questions), version, special.line), []


def _parse_question(node: Node, label: str, out: _Problems) -> QuestionSpec | None:
    if not node.is_mapping:
        out.add(node.line, f'{label} must have "question:" and "options:" settings')
        return None
    fields: dict[str, Node] = node.value
    _unknown(node, _QUESTION_FIELDS, "a question's", f"{label} has an ", out)
    text = _text(fields.get("question"))
    if text is None:
        out.add(node.line, f'{label} has no question: add "question:" with the question\'s text')
    multiple = False
    if (flag := fields.get("multiple")) is not None and flag.value is not None:
        if isinstance(flag.value, bool):
            multiple = flag.value
        else:
            out.add(flag.line, f"{label}: multiple must be true or false")
    options_node = fields.get("options")
    options: list[OptionSpec] = []
    if options_node is None or not options_node.is_list or len(options_node.value) < 2:
        line = node.line if options_node is None else options_node.line
        out.add(line, f'{label} has fewer than two options: add at least two under "options:"')
    else:
        for number, option_node in enumerate(options_node.value, start=1):
            option = _parse_option(option_node, f"{label}, option {number}", out)
            if option is not None:
                options.append(option)
        if len(options) == len(options_node.value) and not any(o.correct for o in options):
            out.add(
                node.line,
                f'{label} has no correct option: add "correct: true" to at least one option',
            )
    if text is None or len(options) < 2:
        return None
    multiple = multiple or sum(option.correct for option in options) > 1
    return QuestionSpec(text, multiple, tuple(options))


def _parse_option(node: Node, label: str, out: _Problems) -> OptionSpec | None:
    if not node.is_mapping:
        out.add(node.line, f'{label} must have "text:", "feedback:" and, if right, "correct: true"')
        return None
    fields: dict[str, Node] = node.value
    _unknown(node, _OPTION_FIELDS, "an option's", f"{label} has an ", out)
    text = _text(fields.get("text"))
    if text is None:
        out.add(node.line, f'{label} has no text: add "text:" with the option\'s words')
    correct: bool | None = False
    if (flag := fields.get("correct")) is not None and flag.value is not None:
        if isinstance(flag.value, bool):
            correct = flag.value
        else:
            out.add(flag.line, f"{label}: correct must be true or false")
            correct = None
    feedback = _text(fields.get("feedback"))
    if feedback is None:
        out.add(node.line, f"{label} has no feedback")
    if text is None or feedback is None or correct is None:
        return None
    return OptionSpec(text, correct, feedback)


def parse_reflection(path: Path, special: Special) -> tuple[ReflectionSpec | None, list[Problem]]:
    out = _Problems(path)
    root = _load(special, "reflection", out)
    if out.items:
        return None, out.items
    no_prompts = (
        'reflection has no prompts: add "prompts:" with at least one prompt, each with "- id:" '
        'and "text:"'
    )
    if root is None or not root.is_mapping:
        out.add(special.line if root is None else root.line, no_prompts)
        return None, out.items
    _unknown(root, _REFLECTION_FIELDS, "a reflection's", "reflection: ", out)
    prompts_node = root.value.get("prompts")
    prompts: list[tuple[str, str, int]] = []
    if prompts_node is None or not prompts_node.is_list or not prompts_node.value:
        out.add(special.line if prompts_node is None else prompts_node.line, no_prompts)
    else:
        for number, node in enumerate(prompts_node.value, start=1):
            label = f"reflection: prompt {number}"
            if not node.is_mapping:
                out.add(node.line, f'{label} must have "id:" and "text:" settings')
                continue
            _unknown(node, _PROMPT_FIELDS, "a prompt's", f"{label} has an ", out)
            prompt_id = _text(node.value.get("id"))
            text = _text(node.value.get("text"))
            if prompt_id is None:
                out.add(
                    node.line,
                    f'{label} has no id: add a line like "id: who-holds-levers" (journal entries '
                    "are stored against it, so never change it)",
                )
            elif not _is_id(prompt_id):
                out.add(
                    node.value["id"].line,
                    f'{label}: id "{prompt_id}" is not valid: use lower-case letters, digits and '
                    "hyphens only",
                )
            if text is None:
                out.add(
                    node.line, f'{label} has no text: add "text:" with the question to reflect on'
                )
            if prompt_id is not None and text is not None:
                prompts.append((prompt_id, text, node.line))
    if out.items:
        return None, out.items
    return ReflectionSpec(
        special.title or DEFAULT_REFLECTION_TITLE, tuple(prompts), special.line
    ), []


def duplicate_ids(
    path: Path, quizzes: list[QuizSpec], reflections: list[ReflectionSpec]
) -> list[Problem]:
    """Quiz ids, and prompt ids, must each be unique within a lesson."""
    problems = []
    seen: dict[str, int] = {}
    for quiz in quizzes:
        if quiz.id in seen:
            problems.append(
                Problem(
                    path,
                    quiz.line,
                    f'quiz id "{quiz.id}" is already used by the quiz at line {seen[quiz.id]}: give '
                    "each quiz in a lesson a different id",
                )
            )
        else:
            seen[quiz.id] = quiz.line
    seen = {}
    for reflection in reflections:
        for prompt_id, _, line in reflection.prompts:
            if prompt_id in seen:
                problems.append(
                    Problem(
                        path,
                        line,
                        f'prompt id "{prompt_id}" is already used by the prompt at line '
                        f"{seen[prompt_id]}: give each prompt in a lesson a different id",
                    )
                )
            else:
                seen[prompt_id] = line
    return problems
