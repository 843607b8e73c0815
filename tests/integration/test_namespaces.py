"""Who may publish where (issues 17.5 and 13.10): look-alikes in the target's own namespace are benign
siblings, look-alikes in a namespace anyone can get are squats."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakeregistry import FakeRegistry
from test_sweep import START, cfg  # noqa: F401 - feed cursors after the fake's own data; config pointed at `fake`

from confuguard import names, namespaces
from confuguard.categories import classify
from confuguard.classifier import Judge
from confuguard.engine import Engine
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Category, Verdict
from confuguard.types import Ecosystem as E


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None, judge=Judge.default(store=None))


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        yield server


def pkg(text: str, eco: E):
    return names.parse(text, eco)


@pytest.mark.parametrize(("name", "eco", "target"), [
    ("com.fasterxml.jackson.core:jackson-databnd", E.MAVEN, "com.fasterxml.jackson.core:jackson-databind"),
    ("google-bert/bert-base-uncasd", E.HUGGINGFACE, "google-bert/bert-base-uncased"),
    ("@types/nodee", E.NPM, "@types/node"),
    ("github.com/stretchr/testfy", E.GOLANG, "github.com/stretchr/testify"),
    ("gopkg.in/stretchr/testfy.v1", E.GOLANG, "github.com/stretchr/testify"),  # gopkg.in/<user> is github.com/<user>
])
def test_same_namespace_lookalike_is_benign_and_says_why(engine, name, eco, target):
    res = engine.check_name(name, eco)
    assert res.verdict is Verdict.BENIGN, res.reasons
    top = res.candidates[0]
    assert names.key(top.target) == names.key(pkg(target, eco))
    assert Category.TYPO in top.categories and top.verdict is Verdict.BENIGN
    assert "same namespace" in res.reasons[0] and "only" in res.reasons[0], res.reasons
    assert any("same namespace" in r for r in top.reasons)


def test_sibling_does_not_hide_a_real_squat(engine):
    # a same-owner look-alike is listed after a third party's squat, which still decides the verdict
    res = engine.check_name("github.com/strechr/testify", E.GOLANG)
    assert res.verdict is Verdict.SUSPICIOUS
    assert str(res.candidates[0].target) == "github.com/stretchr/testify"


@pytest.mark.parametrize(("name", "target"), [
    ("gopkg.in/yamll.v3", "gopkg.in/yaml.v3"),  # gopkg.in/<name>.vN is github.com/go-<name>: anyone can create it
])
def test_shared_namespace_lookalike_is_still_a_squat(engine, name, target):
    res = engine.check_name(name, E.GOLANG)
    assert res.verdict is Verdict.SUSPICIOUS, res.reasons
    assert str(res.candidates[0].target) == target


def test_publisher_roots():
    root = namespaces.publisher_root
    assert root(pkg("com.fasterxml.jackson.core:jackson-core", E.MAVEN)) == "com.fasterxml"
    assert root(pkg("io.github.someone.tools:x", E.MAVEN)) == "io.github.someone"
    assert root(pkg("uk.co.example.app:x", E.MAVEN)) == "uk.co.example"  # ccTLD second level is a registry
    assert not namespaces.same_publisher(pkg("uk.co.alpha:x", E.MAVEN), pkg("uk.co.beta:x", E.MAVEN))
    assert root(pkg("gopkg.in/yaml.v3", E.GOLANG)) == "github.com/go-yaml"
    assert root(pkg("gopkg.in/check.v1", E.GOLANG)) == "github.com/go-check"
    assert root(pkg("gopkg.in/stretchr/testify.v1", E.GOLANG)) == "github.com/stretchr"
    assert root(pkg("requests", E.PYPI)) is None
    assert namespaces.personal(pkg("io.github.someone:guava", E.MAVEN))
    assert namespaces.personal(pkg("com.gitee.someone:guava", E.MAVEN))
    assert namespaces.personal(pkg("io.gitlab.someone:guava", E.MAVEN))
    assert namespaces.personal(pkg("com.google.guava:guava", E.MAVEN)) is None


@pytest.mark.parametrize(("name", "target"), [
    ("io.github.someone:guava", "com.google.guava:guava"),
    ("com.github.someone:guava", "com.google.guava:guava"),
    ("io.gitlab.someone:gson", "com.google.code.gson:gson"),
    ("io.github.someone:gson", "com.google.code.gson:gson"),  # not `org.mongodb:bson`, one typo away
    ("com.gitee.someone:junit", "junit:junit"),
    ("io.github.someone:guavva", "com.google.guava:guava"),  # near, under a personal groupId
    ("io.github.someone:jackson-databnd", "com.fasterxml.jackson.core:jackson-databind"),
])
def test_popular_artifact_under_a_personal_groupid_is_a_squat(engine, name, target):
    res = engine.check_name(name, E.MAVEN)
    assert res.verdict is Verdict.SUSPICIOUS, res.reasons
    top = res.candidates[0]
    assert str(top.target) == target and Category.SCOPE in top.categories
    assert "personal groupId" in top.findings[0].detail


def test_near_artifact_under_an_ordinary_groupid_stays_benign(engine):
    # a domain-verified publisher's own namespace: forks and look-alike names there are common and legitimate
    res = engine.check_name("com.example:jackson-databnd", E.MAVEN)
    assert res.verdict is Verdict.BENIGN and Category.SCOPE not in res.candidates[0].categories


def test_common_artifact_words_under_a_personal_groupid_are_ordinary():
    # artifactIds every publisher uses are not a claim to be a particular project
    for leaf, target in [("core", "androidx.core:core"), ("parent", "org.apache.zookeeper:parent"),
                         ("json", "org.json:json"), ("ant", "org.apache.ant:ant")]:
        assert Category.SCOPE not in [f.category for f in classify(pkg(f"io.github.someone:{leaf}", E.MAVEN),
                                                                   pkg(target, E.MAVEN))], leaf


@pytest.mark.parametrize(("name", "target"), [
    ("github.com/golangx/sync", "golang.org/x/sync"),
    ("github.com/golang-x/net", "golang.org/x/net"),
    ("github.com/xgolang/crypto", "golang.org/x/crypto"),
    ("github.com/pkgx/errors", "github.com/pkg/errors"),
    ("github.com/go-pkg/errors", "github.com/pkg/errors"),
    ("github.com/gouber/zap", "go.uber.org/zap"),
])
def test_owner_squats_of_vanity_and_short_owners(engine, name, target):
    res = engine.check_name(name, E.GOLANG)
    assert res.verdict is Verdict.SUSPICIOUS, res.reasons
    top = res.candidates[0]
    assert str(top.target) == target and Category.SCOPE in top.categories, res.candidates


def test_the_domain_owners_own_account_is_not_a_vanity_squat():
    # vanity paths usually point at the account named like the domain (mvdan.cc/sh is github.com/mvdan/sh)
    assert classify(pkg("github.com/mvdan/sh", E.GOLANG), pkg("mvdan.cc/sh", E.GOLANG)) == ()
    assert classify(pkg("github.com/golang/sync", E.GOLANG), pkg("golang.org/x/sync", E.GOLANG)) == ()


def test_sweep_raises_personal_groupid_and_owner_squats_and_not_siblings(tmp_path, cfg, fake):
    # issue 13.10 end to end on the fake registries: what is published lands in the feeds, the sweep
    # fetches what it can and alerts on the squats only
    published = {"maven": ["io.github.someone:guava", "io.github.someone:gsno-tools", "com.squareup.okhttp3:okhtp"],
                 "golang": ["github.com/golangx/sync", "github.com/stretchr/testfy"]}
    for eco, names_ in published.items():
        for n in names_:
            fake.data.publish(eco, n)
    engine = Engine(encoder=None, judge=Judge.default())
    with Store.open(tmp_path / "s.db") as store:
        for eco in (E.MAVEN, E.GOLANG):
            store.set_feed_cursor(eco, START[eco])
        engine.judge.store = store
        summary = Sweep(store, engine, config=cfg, page_size=2).feeds([E.MAVEN, E.GOLANG])
        assert not summary.failed, summary.to_json()
        alerts = {(a.suspect, a.target) for a in store.alert_rows()}
        assert ("io.github.someone:guava", "com.google.guava:guava") in alerts
        assert ("github.com/golangx/sync", "golang.org/x/sync") in alerts
        suspects = {s for s, _ in alerts}
        assert suspects == {"io.github.someone:guava", "github.com/golangx/sync"}  # siblings and an ordinary name raise nothing
        by = {r.registry: r for r in summary.registries}
        assert by["maven"].benign_suppressed >= 1 and by["golang"].benign_suppressed >= 1  # the siblings
