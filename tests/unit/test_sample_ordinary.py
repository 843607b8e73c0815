"""The ordinary new-package sample that publication-time training and the nightly-sweep benchmark share."""

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from confuguard.types import Ecosystem

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def sample() -> Iterator[ModuleType]:
    sys.path.insert(0, str(SCRIPTS))
    try:
        yield importlib.import_module("sample_ordinary")
    finally:
        sys.path.remove(str(SCRIPTS))


def test_ordinary_npm_packages_leave_out_popular_names_busy_ones_and_takedown_placeholders(sample, tmp_path: Path):
    (tmp_path / "npm.tsv").write_text(
        "name\tversion\tdownloads_a_month\tsummary\n"
        "tiny-csv-helper\t1.0.2\t40\tParse small CSV files into arrays\n"
        "lodash\t4.17.21\t900\tLodash modular utilities.\n"       # a bundled popular package
        "nodesass\t0.0.1-security\t300\tsecurity holding package\n"  # npm's stand-in over taken-down malware
        "busy-thing\t2.0.0\t90000\tWell used\n", encoding="utf-8")
    pool = sample.recent_ordinary(Ecosystem.NPM, tmp_path)
    assert pool == [("tiny-csv-helper", "1.0.2", "Parse small CSV files into arrays")]
