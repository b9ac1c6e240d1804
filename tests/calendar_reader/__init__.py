"""An independent reading of our calendars: ical.js (from npm) run by node on an .ics file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READER = Path(__file__).with_name("read_ics.mjs")


def read_with_ical_js(path: Path) -> dict:
    """{"method": …, "events": [{uid, summary, tzid, start, end (UTC ISO), status, sequence}]}."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to read calendars with ical.js")
    done = subprocess.run(  # noqa: S603 - node on our own script and a file the test wrote
        [node, str(READER), str(path)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout)
