"""What a web worker loads: the graph and spreadsheet libraries only when a page needs them.

Each is 7-25 MB of a worker's memory (issue 19 asks for under 150 MB per worker after a load run
of learners, who never see a network page or download a spreadsheet). Run in a fresh interpreter,
since the test process has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["networkx", "igraph", "openpyxl", "numpy", "scipy", "PIL", "weasyprint"]

SCRIPT = f"""
import json, sys, tempfile
from leaders import create_app
from leaders.extensions import db
url = "sqlite:///" + tempfile.mkdtemp() + "/memory.sqlite"
app = create_app("test", {{"SQLALCHEMY_DATABASE_URI": url}})
with app.app_context():
    db.create_all()
client = app.test_client()
for path in ("/", "/sign-in", "/healthz", "/accessibility"):
    assert client.get(path).status_code == 200, path
print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""


def test_a_worker_serving_pages_has_not_loaded_the_heavy_libraries() -> None:
    out = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_they_load_when_a_figure_needs_them() -> None:
    script = (
        "import sys\n"
        "from leaders.network.graph import Person, Tie\n"
        "from leaders.network.metrics import network_metrics\n"
        "assert 'igraph' not in sys.modules\n"
        "m = network_metrics([Person(1, 'A', 'O1', None, None), Person(2, 'B', 'O2', None, None)],"
        " [Tie(1, 2, 'worked_together')])\n"
        "assert m.ties == 1 and 'igraph' in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "ok"
