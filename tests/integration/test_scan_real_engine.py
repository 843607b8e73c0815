"""`confuguard scan` with the real engine on the fixture projects: the planted lookalikes, and only they, are flagged.

Slow: the first engine use loads the bundled targets and builds the name indexes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from confuguard import names
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"
PLANTED = {k: v for k, v in json.loads((PROJECTS / "planted.json").read_text()).items() if not k.startswith("_")}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_scan(tmp_path_factory):
    try:
        import confuguard.engine  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"confuguard.engine cannot be imported yet ({exc}); the real-engine scan test needs it")
    from confuguard.commands import scan

    out = tmp_path_factory.mktemp("scan") / "report.json"
    code = scan.handler(argparse.Namespace(paths=[str(PROJECTS)], format="json", output=str(out)))
    return code, json.loads(out.read_text())


def test_real_engine_flags_exactly_the_planted_lookalikes(real_scan):
    code, docs = real_scan
    assert code == 1
    flagged = sorted((d["file"], d["line"], d["name"]) for d in docs if d["verdict"] == "suspicious")
    expected = sorted(
        ((PROJECTS / project / p["file"]).as_posix(), p["line"], p["name"])
        for project, entries in PLANTED.items() for p in entries
    )
    missed = sorted(set(expected) - set(flagged))
    extra = sorted(set(flagged) - set(expected))
    assert not missed and not extra, f"missed planted: {missed}; flagged ordinary dependencies: {extra}"


def test_real_engine_names_the_imitated_package(real_scan):
    _, docs = real_scan
    by_location = {(Path(d["file"]).as_posix(), d["line"]): d for d in docs}
    for project, entries in PLANTED.items():
        for p in entries:
            doc = by_location[((PROJECTS / project / p["file"]).as_posix(), p["line"])]
            eco = Ecosystem(p["registry"])
            want = names.leaf(names.parse(p["imitates"], eco))
            got = [names.leaf(names.parse(c["target"], eco)) for c in doc["candidates"]]
            assert want in got, f"{p['name']} ({project}): expected a candidate named like {p['imitates']}, got {got}"
