"""Wide look-alikes (`confuguard.wide`): two typos off a long popular name, or a popular name plus a word.

They are proposed and shown, but judged on evidence: by name alone never an alert; with the package's
own record, an attack's (no description, an install hook, a dependency-confusion version) is, and an
ordinary project's (a purpose of its own, its own repository) is not.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from confuguard import names
from confuguard.classifier import Judge
from confuguard.corpus import Target
from confuguard.engine import Engine
from confuguard.types import Category, PackageMetadata, Verdict
from confuguard.types import Ecosystem as E
from confuguard.wide import WIDE_RANK, wide_findings

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def target(key: str, eco: E, rank: int = 10) -> Target:
    pkg = names.parse(key, eco)
    return Target(pkg, rank, None, names.key(pkg), names.leaf(pkg), names.namespace(pkg))


@pytest.mark.parametrize("suspect, key, eco, category, words", [
    ("requests-secure", "requests", E.PYPI, Category.AFFIX, "'secure'"),
    ("pro-httpx-client", "httpx", E.PYPI, Category.AFFIX, "'pro', 'client'"),
    ("lodahs-cli", "lodash", E.NPM, Category.AFFIX, "a misspelling of 'lodash'"),
    ("tesnorflw", "tensorflow", E.PYPI, Category.TYPO, "two typos"),
    ("packaging-rs", "packaging", E.PYPI, Category.AFFIX, "'rs'"),  # a word added, not two typos
    ("django-log-tracker", "django", E.PYPI, Category.AFFIX, "'log', 'tracker'"),  # a family root takes any words
    ("reget", "regex", E.PYPI, Category.TYPO, "one typo"),  # not a finger slip, yet one typo of a 5-letter name
    ("redist", "redis", E.PYPI, Category.TYPO, "one typo"),
    ("tensofl9w", "tensorflow", E.PYPI, Category.TYPO, "two typos"),  # a digit typed among the letters
    ("crypt0graphyy", "cryptography", E.PYPI, Category.TYPO, "two typos"),
    ("reqyest3", "requests", E.PYPI, Category.TYPO, "two typos"),
    ("django-web2-auth", "django", E.PYPI, Category.AFFIX, "'web', '2', 'auth'"),  # a number is not a word
    ("discordpy_bypass", "discord-py", E.PYPI, Category.AFFIX, "'bypass'"),  # the root's words run together
    ("spoof-user-agent", "user-agents", E.PYPI, Category.AFFIX, "'spoof'"),  # the root's last word singular
    ("color-self-2", "colors", E.NPM, Category.AFFIX, "'self', '2'"),
])
def test_wide_shapes(suspect, key, eco, category, words):
    found = wide_findings(names.parse(suspect, eco), target(key, eco))
    assert [f.category for f in found] == [category]
    assert words in found[0].detail and key in found[0].detail


def test_a_root_in_its_other_number_is_named_as_written():
    found = wide_findings(names.parse("spoof-user-agent", E.PYPI), target("user-agents", E.PYPI))
    assert found[0].detail.startswith("adds 'spoof' to 'user-agent', 'user-agents' in its other number, ")


@pytest.mark.parametrize("suspect, key, eco, rank", [
    ("requests-secure", "requests", E.PYPI, WIDE_RANK + 1),  # not one of the most popular
    ("requests-secure-extra-more", "requests", E.PYPI, 10),  # three words added: another project
    ("django-web2-auth-kit", "django", E.PYPI, 10),  # three words and a number
    ("tensorfl", "tensorflow", E.PYPI, 10),  # a prefix, not a misspelling
    ("pandas-pro", "pd", E.PYPI, 10),  # too short a root
    ("@evil/lodash-cli", "lodash", E.NPM, 10),  # scoped: the scope rules judge it
    ("chalky-cli", "chalk", E.NPM, 10),  # the "misspelt" word is an English word of its own
    ("my-vue-tab", "vue-tabs", E.NPM, 10),  # the other number of too short a word (`tab`)
    ("reach", "react", E.NPM, 10),  # one typo off, but an English word of its own
    ("vue2", "vue", E.NPM, 10),  # too short a name for any typo
    ("pandas-ai", "pandasql", E.PYPI, 10),  # two typos off, but two words of their own
    ("tensor9-flow", "tensorflow", E.PYPI, 10),
])
def test_not_wide(suspect, key, eco, rank):
    assert wide_findings(names.parse(suspect, eco), target(key, eco, rank)) == ()


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge.default(now=NOW)


@pytest.fixture(scope="module")
def engine(judge) -> Engine:
    return Engine(encoder=None, judge=judge)


def _wide(engine: Engine, name: str, eco: E, key: str):
    res = engine.check(names.parse(name, eco))
    return res, next(c for c in res.candidates if c.needs_evidence and names.key(c.target) == key)


def test_by_name_alone_a_wide_lookalike_is_shown_but_never_alerted(engine):
    res, cand = _wide(engine, "lodahs-cli", E.NPM, "lodash")
    assert res.verdict is Verdict.BENIGN and cand.verdict is Verdict.BENIGN
    assert cand.threat_probability is not None and cand.threat_probability < engine.judge.threshold
    assert any("only on evidence from its record" in r for r in cand.reasons)


def _record(pkg, **fields) -> PackageMetadata:
    day_one = dict(source="fixture", created=NOW - timedelta(hours=2), latest_release=NOW - timedelta(hours=2),
                   latest_version="1.0.0", version_count=1)
    return PackageMetadata(package=pkg, **{**day_one, **fields})


@pytest.mark.parametrize("record, verdict", [
    (dict(summary="", install_scripts=True), Verdict.SUSPICIOUS),
    (dict(summary="", latest_version="99.10.1"), Verdict.SUSPICIOUS),
    (dict(summary="Command-line tool that prints a colour-coded tree of a project's npm dependencies",
          repository_url="https://github.com/someone/lodahs-cli"), Verdict.BENIGN),
])
def test_with_its_record_the_evidence_decides(engine, judge, record, verdict):
    res, cand = _wide(engine, "lodahs-cli", E.NPM, "lodash")
    suspect = res.package
    lodash = _record(cand.target, summary="Lodash modular utilities.", created=NOW - timedelta(days=4000),
                     version_count=114, repository_url="https://github.com/lodash/lodash")
    fresh = dataclasses.replace(cand, verdict=None, threat_probability=None, reasons=())
    (judged,) = judge(suspect, (fresh,), {suspect: _record(suspect, **record), cand.target: lodash})
    assert judged.verdict is verdict


def test_without_a_classifier_a_wide_lookalike_is_still_not_an_alert():
    res = Engine(encoder=None).check(names.parse("lodahs-cli", E.NPM))
    wide = [c for c in res.candidates if c.needs_evidence]
    assert wide and all(c.verdict is Verdict.BENIGN for c in wide)
    assert all(c.verdict is Verdict.SUSPICIOUS for c in res.candidates if not c.needs_evidence)
