"""Layers only point down: every import in leaders/ goes to its own package or to one below it.

The declared order, bottom to top (issue 12; README "Layers"):

 0 plumbing: the modules at the top of leaders/ (extensions, db_types, … navigation) and the outbox
   package. They may import each other, and from the feature packages only auth's models and rules.
 1 auth   2 places   3 organisations   4 catalogue   5 cohorts   6 learning   7 network
 8 oversight   9 reports   10 credentials   11 privacy   12 admin
top wiring: main, demo, demo_programme, cli, models, wsgi and leaders/__init__.py (may import anything).

A package may import only packages below it (each layer holds one package, or the plumbing or
wiring modules). Every import counts, at
module level, inside functions and under TYPE_CHECKING alike. The test reads the source with `ast`,
so it needs no app and imports nothing from leaders/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "leaders"

PLUMBING = {
    "extensions",
    "db_types",
    "timeutil",
    "text",
    "forms",
    "widgets",
    "filters",
    "upsert",
    "sqlkeys",
    "inputs",
    "downloads",
    "mail",
    "audit",
    "confirm",
    "templating",
    "errors",
    "security",
    "signals",
    "uow",
    "personal_data",
    "navigation",
    "tables",
    "pdf",
    "delivery",
    "runtime",
    "charts",
    "fragments",
    "outbox",  # a package: the email outbox and its job queue (models, jobs, tasks)
}
FEATURES = [
    "auth",
    "places",
    "organisations",
    "catalogue",
    "cohorts",
    "learning",
    "network",
    "oversight",
    "reports",
    "credentials",
    "privacy",
    "admin",
]
WIRING = {"__init__", "main", "demo", "demo_programme", "cli", "models", "wsgi"}
#: What plumbing may use from a feature package: the account model and the access rules.
PLUMBING_MAY_USE = {"leaders.auth.models", "leaders.auth.rules"}

LAYER = {
    "plumbing": 0,
    **{name: i for i, name in enumerate(FEATURES, start=1)},
    "wiring": len(FEATURES) + 1,
}


def _group(module: str) -> str | None:
    """The layer group a dotted leaders module belongs to, or None if the order does not place it."""
    parts = module.split(".")
    assert parts[0] == "leaders"
    if len(parts) == 1:
        return "wiring"  # leaders/__init__.py
    head = parts[1]
    if head in FEATURES:
        return head
    if head in PLUMBING:
        return "plumbing"
    if head in WIRING:
        return "wiring"
    return None


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    base = ROOT.parent.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted leaders module) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "leaders"
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] != "leaders":
                continue
            for alias in node.names:
                # `from leaders import audit` imports the module leaders.audit; `from leaders.x
                # import name` imports from leaders.x.
                sub = f"{base}.{alias.name}"
                found.append((node.lineno, sub if _is_module(sub) else base))
    return found


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "templates" not in p.parts)


def violations() -> list[str]:
    problems = []
    for path in _sources():
        rel = path.relative_to(ROOT.parent)
        importer = _module_name(path)
        mine = _group(importer)
        if mine is None:
            problems.append(
                f"{rel}: not in the declared layer order (add it to tests/test_layers.py)"
            )
            continue
        for line, target in _imports(path):
            theirs = _group(target)
            where = f"{rel}:{line} imports {target}"
            if theirs is None:
                problems.append(f"{where}, which is not in the declared layer order")
            elif theirs == mine:
                continue
            elif mine == "plumbing":
                if target not in PLUMBING_MAY_USE:
                    problems.append(f"{where}: plumbing imports only auth's models and rules")
            elif LAYER[theirs] > LAYER[mine]:
                problems.append(
                    f"{where}: {theirs} (layer {LAYER[theirs]}) is above {mine} (layer {LAYER[mine]})"
                )
    return problems


def test_every_import_points_down() -> None:
    problems = violations()
    assert not problems, "Imports against the layer order:\n" + "\n".join(problems)


def _check(files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    root = tmp_path / "leaders"
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", root)
    return violations()


def test_the_check_names_the_file_and_the_upward_import(tmp_path, monkeypatch) -> None:
    """The test can fail: an upward import inside a function, a relative import, `from leaders
    import package` and plumbing reaching into a feature are each reported with file, line and
    target; imports within a package, downward and from plumbing pass."""
    problems = _check(
        {
            "__init__.py": "from leaders.cohorts import views\n",
            "audit.py": "from leaders.auth.models import User\nfrom leaders.auth import services\n",
            "auth/__init__.py": "",
            "auth/models.py": "",
            "auth/services.py": "",
            "cohorts/__init__.py": "",
            "cohorts/views.py": "def page():\n    from leaders.oversight import dashboard\n",
            "cohorts/models.py": "from leaders.audit import x\nfrom leaders.auth.models import User\n",
            "oversight/__init__.py": "",
            "oversight/dashboard.py": "from ..cohorts import models\nfrom . import helpers\n",
            "oversight/helpers.py": "",
            "learning/__init__.py": "",
            "learning/sets.py": "from leaders.network.models import Set\n",
            "network/__init__.py": "",
            "network/models.py": "from leaders import privacy\n",
            "privacy/__init__.py": "",
            "stray.py": "",
        },
        tmp_path,
        monkeypatch,
    )
    assert sorted(problems) == sorted(
        [
            "leaders/audit.py:2 imports leaders.auth.services: plumbing imports only auth's models "
            "and rules",
            "leaders/cohorts/views.py:2 imports leaders.oversight.dashboard: oversight (layer 8) is "
            "above cohorts (layer 5)",
            "leaders/learning/sets.py:1 imports leaders.network.models: network (layer 7) is above "
            "learning (layer 6)",
            "leaders/network/models.py:1 imports leaders.privacy: privacy (layer 11) is above network "
            "(layer 7)",
            "leaders/stray.py: not in the declared layer order (add it to tests/test_layers.py)",
        ]
    )
