"""The shipped model: verified loading (tampering refused), the judge, graceful degradation without metadata."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import numpy as np
import pytest

from confuguard import names
from confuguard import signals as sig
from confuguard.classifier import Judge, ThreatModel, default_model_dir, sha256_file, write_model
from confuguard.errors import ModelArtifactError
from confuguard.store import Store
from confuguard.types import Candidate, Category, Ecosystem, Finding, PackageMetadata, Verdict

NPM = Ecosystem.NPM


def cand(target: str, rank: int = 100, dist: int = 1, cats=(Category.TYPO,)) -> Candidate:
    return Candidate(names.parse(target, NPM), rank, tuple(Finding(c, "x") for c in cats), 0.92, dist, None, frozenset({"edit"}))


@pytest.fixture()
def model_copy(tmp_path):
    dst = tmp_path / "threat"
    shutil.copytree(default_model_dir(), dst)
    return dst


def test_shipped_model_loads_and_matches_features():
    m = ThreatModel.load()
    assert m.features == sig.FEATURE_NAMES
    assert 0 < m.threshold < 1
    man = m.manifest
    for key in ("version", "training_data", "counts", "cross_validation", "threshold", "files", "sign_held_features"):
        assert key in man
    assert not any(p.suffix in {".pkl", ".pickle", ".joblib"} for p in default_model_dir().iterdir())


def test_tampered_weights_are_refused(model_copy):
    w = json.loads((model_copy / "weights.json").read_text())
    w["coef"][0] += 1.0
    (model_copy / "weights.json").write_text(json.dumps(w))
    with pytest.raises(ModelArtifactError) as exc:
        ThreatModel.load(model_copy)
    assert "\n" not in str(exc.value) and "manifest check" in str(exc.value)


def test_manifest_sha_mismatch_is_refused(model_copy):
    man = json.loads((model_copy / "manifest.json").read_text())
    man["files"]["weights.json"]["sha256"] = "0" * 64
    (model_copy / "manifest.json").write_text(json.dumps(man))
    with pytest.raises(ModelArtifactError, match="refusing to load"):
        ThreatModel.load(model_copy)


def test_missing_or_foreign_artifacts_are_refused(model_copy, tmp_path):
    with pytest.raises(ModelArtifactError, match="missing"):
        ThreatModel.load(tmp_path / "nothing")
    man = json.loads((model_copy / "manifest.json").read_text())
    man["features"] = [*man["features"][:-1], "a_feature_from_the_future"]
    (model_copy / "manifest.json").write_text(json.dumps(man))
    with pytest.raises(ModelArtifactError, match="does not compute"):
        ThreatModel.load(model_copy)
    man["features"] = man["features"][:-2]
    (model_copy / "manifest.json").write_text(json.dumps(man))
    with pytest.raises(ModelArtifactError, match="do not fit"):  # one weight more than features listed
        ThreatModel.load(model_copy)
    (model_copy / "manifest.json").write_text("not json")
    with pytest.raises(ModelArtifactError, match="unreadable"):
        ThreatModel.load(model_copy)


def test_a_model_without_a_newer_feature_judges_with_its_prior(tmp_path):
    """A model trained before a signal existed still loads: the signal weighs its documented prior."""
    coef = np.linspace(-1, 1, len(sig.FEATURES))
    folder = write_model(tmp_path / "old", coef, 0.0, 1.0, 0.0, {"threshold": 0.5, "version": "old"})
    w = json.loads((folder / "weights.json").read_text())
    drop = sig.FEATURE_NAMES.index("install_script")
    w["coef"].pop(drop)
    (folder / "weights.json").write_text(json.dumps(w))
    man = json.loads((folder / "manifest.json").read_text())
    man["features"].pop(drop)
    man["files"]["weights.json"]["sha256"] = sha256_file(folder / "weights.json")
    (folder / "manifest.json").write_text(json.dumps(man))
    model = ThreatModel.load(folder)
    assert model.features == sig.FEATURE_NAMES
    assert model.coef[drop] == sig.FEATURES[drop].prior == 3.0
    assert model.coef[drop + 1] == pytest.approx(coef[drop + 1])


def test_write_and_load_roundtrip(tmp_path):
    coef = np.linspace(-1, 1, len(sig.FEATURES))
    write_model(tmp_path / "m", coef, 0.25, 1.5, -0.1, {"threshold": 0.4, "version": "t"})
    m = ThreatModel.load(tmp_path / "m")
    assert np.allclose(m.coef, coef) and m.threshold == 0.4
    x = np.ones(len(coef))
    assert m.proba_one(x) == pytest.approx(float(m.proba(x[None, :])[0]))


def test_judge_without_metadata_degrades_to_names():
    judge = Judge.default()
    suspect = names.parse("lodahs", NPM)
    out = judge(suspect, (cand("lodash", rank=5), cand("@types/lodash", rank=900, dist=8, cats=())))
    assert len(out) == 2
    for c in out:
        assert c.verdict in (Verdict.SUSPICIOUS, Verdict.BENIGN)
        assert 0.0 <= c.threat_probability <= 1.0
        assert c.reasons and any("no metadata" in r for r in c.reasons)
    assert out[0].verdict is Verdict.SUSPICIOUS  # a 1-edit typo of a top-10 package
    assert judge(suspect, ()) == ()


def test_metadata_moves_the_verdict_both_ways(tmp_path):
    store = Store.open(tmp_path / "s.db")
    suspect = names.parse("lodahs", NPM)
    judge = Judge.default(store=store, now=datetime(2026, 1, 1, tzinfo=UTC))
    base = judge(suspect, (cand("lodash", rank=5),))[0].threat_probability
    holding = PackageMetadata(suspect, "live", latest_version="0.0.1-security", summary="security holding package")
    worse = judge(suspect, (cand("lodash", rank=5),), {suspect: holding})[0]
    assert worse.threat_probability > base and worse.verdict is Verdict.SUSPICIOUS
    assert any("security holding" in r for r in worse.reasons)
    friend = PackageMetadata(suspect, "live", maintainers=("jdalton",), summary="Lodash fork with patches",
                             downloads=900_000, downloads_window="last-month")
    target = PackageMetadata(names.parse("lodash", NPM), "live", maintainers=("jdalton",), summary="Lodash utilities",
                             downloads=50_000_000, downloads_window="last-month")
    store.put_many([friend, target])
    better = judge(suspect, (cand("lodash", rank=5),))[0]
    assert better.threat_probability < base
    assert better.verdict is Verdict.BENIGN and any("same maintainer as `lodash`" in r for r in better.reasons)
    store.close()


def test_engine_uses_the_judge():
    from confuguard.engine import Engine

    engine = Engine(encoder=None, judge=Judge.default())
    res = engine.check_name("reqeusts", Ecosystem.PYPI)
    assert res.verdict is Verdict.SUSPICIOUS
    assert res.candidates[0].threat_probability is not None and res.candidates[0].reasons


def test_a_reason_is_never_cited_against_its_meaning():
    from confuguard.classifier import explain

    names_ = [f.name for f in sig.FEATURES]
    signals = tuple(sig.Signal(n, 1.0, f"reason of {n}") for n in names_)
    contrib = np.zeros(len(names_))
    contrib[names_.index("suspect_popular")] = 2.0  # a popular suspect pushed towards "threat" by a fitted weight
    contrib[names_.index("cat_typo")] = 1.0
    reasons = explain(signals, contrib, Verdict.SUSPICIOUS)
    assert reasons == ("reason of cat_typo",)


def test_an_allowlisted_organisation_is_never_judged_a_squat():
    # the scope can only be published to by its organisation: the strongest name evidence does not make a third-party squat
    judge = Judge.default()
    suspect = names.parse("@azure-tools/storage-blob", NPM)
    out = judge(suspect, (cand("@azure/storage-blob", rank=50, dist=2, cats=(Category.SCOPE,)),))[0]
    assert out.verdict is Verdict.BENIGN
    assert any("allowlisted organisation" in r for r in out.reasons)
    unlisted = judge(names.parse("@azure-tool/storage-blob", NPM),
                     (cand("@azure/storage-blob", rank=50, dist=1, cats=(Category.SCOPE,)),))[0]
    assert unlisted.verdict is Verdict.SUSPICIOUS


def test_training_never_replaces_a_fixed_registry_guarantee():
    from confuguard.training import fit

    j = sig.FEATURE_NAMES.index("allowlisted_org")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, len(sig.FEATURES)))
    X[:, j] = 1.0  # every row allowlisted, half of them labelled threats: the data would learn ~0
    y = np.array([0, 1] * 100)
    res = fit(X, y, [str(i % 40) for i in range(200)], folds=4)
    assert res.coef[j] == sig.FEATURES[j].prior and "allowlisted_org" in res.prior_features


def test_a_weight_the_data_would_invert_keeps_its_domain_direction():
    from confuguard.training import fit

    j = sig.FEATURE_NAMES.index("suspect_popular")
    k = sig.FEATURE_NAMES.index("cat_typo")
    rng = np.random.default_rng(1)
    X = np.zeros((400, len(sig.FEATURES)))
    y = np.array([0, 1] * 200)
    X[:, k] = y + rng.normal(0, 0.5, 400)
    X[:, j] = (y == 1) & (rng.random(400) < 0.5)  # confounded data: "popular" seen only among threats
    res = fit(X, y, [str(i % 50) for i in range(400)], folds=4)
    assert res.coef[j] == sig.FEATURES[j].prior < 0 and "suspect_popular" in res.held_features
    assert res.coef[k] > 0


def test_a_fresh_live_typosquat_stays_suspicious_and_a_snapshot_listing_is_cited():
    # a live record exists for a brand-new attack too: having one must not read as benign evidence
    now = datetime(2026, 6, 1, tzinfo=UTC)
    judge = Judge.default(now=now)
    suspect = names.parse("lodahs", NPM)
    fresh = PackageMetadata(suspect, "live", summary="Lodash modular utilities.", created=datetime(2026, 5, 30, tzinfo=UTC),
                            latest_release=datetime(2026, 5, 30, tzinfo=UTC), latest_version="1.0.0", version_count=1,
                            downloads=40, downloads_window="last-month", maintainers=("newcomer",))
    # judged as a sweep judges it: with the target's record, whose description the squat copies
    lodash = PackageMetadata(names.parse("lodash", NPM), "live", summary="Lodash modular utilities.",
                             created=datetime(2012, 4, 23, tzinfo=UTC), latest_version="4.17.21", version_count=114)
    live = judge(suspect, (cand("lodash", rank=5),), {suspect: fresh, lodash.package: lodash})[0]
    assert live.verdict is Verdict.SUSPICIOUS and any("copied" in r for r in live.reasons)
    listed = PackageMetadata(suspect, "snapshot:npm.tsv", summary="Sort helpers", latest_version="2.1.0",
                             downloads=300, downloads_window="last-month")
    snap = judge(suspect, (cand("lodash", rank=5),), {suspect: listed})[0]
    assert snap.threat_probability < live.threat_probability
    assert any("snapshot" in r for r in snap.reasons)


def test_a_name_reserved_by_the_targets_maintainer_is_benign_and_a_strangers_is_not():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    judge = Judge.default(now=now)
    suspect, target = names.parse("lodahs", NPM), names.parse("lodash", NPM)
    owner = PackageMetadata(target, "live", maintainers=("jdalton",), summary="Lodash modular utilities.",
                            downloads=50_000_000, downloads_window="last-month", created=datetime(2012, 4, 1, tzinfo=UTC))

    def reserved_by(who: str) -> Candidate:
        rec = PackageMetadata(suspect, "live", summary="placeholder, reserved name", maintainers=(who,),
                              created=datetime(2026, 5, 30, tzinfo=UTC), version_count=1, latest_version="0.0.1",
                              readme_length=0, repository_url="", downloads=3, downloads_window="last-month")
        return judge(suspect, (cand("lodash", rank=5),), {suspect: rec, target: owner})[0]

    mine = reserved_by("jdalton")
    assert mine.verdict is Verdict.BENIGN and any("same maintainer as `lodash`" in r for r in mine.reasons)
    assert reserved_by("stranger").verdict is Verdict.SUSPICIOUS


def test_a_long_public_life_counts_like_a_snapshot_listing():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    judge = Judge.default(now=now)
    suspect = names.parse("lodahs", NPM)

    def born(created: datetime) -> Candidate:
        rec = PackageMetadata(suspect, "live", summary="Sort helpers", created=created, version_count=4,
                              latest_version="1.3.0", maintainers=("someone",))
        return judge(suspect, (cand("lodash", rank=5),), {suspect: rec})[0]

    old, fresh = born(datetime(2019, 1, 1, tzinfo=UTC)), born(datetime(2026, 5, 28, tzinfo=UTC))
    assert old.verdict is Verdict.BENIGN and any("public for 7 years" in r for r in old.reasons)
    assert fresh.verdict is Verdict.SUSPICIOUS


def test_a_maintainer_of_other_popular_packages_is_read_from_the_stores_registry_records(tmp_path):
    store = Store.open(tmp_path / "s.db")
    suspect = names.parse("lodahs", NPM)
    rec = PackageMetadata(suspect, "live", summary="Sort helpers", maintainers=("DougWilson",))
    judge = Judge.default(store=store)
    signals = {s.name: s for s in judge.signals(suspect, cand("lodash"), rec, None)}
    assert signals["maintainer_popular"].value is None  # no registry record of a popular package yet
    store.put_many([PackageMetadata(names.parse("express", NPM), "live", maintainers=("dougwilson",)),
                    PackageMetadata(names.parse("left-padz", NPM), "live", maintainers=("stranger",))])
    judge = Judge.default(store=store)
    signals = {s.name: s for s in judge.signals(suspect, cand("lodash"), rec, None)}
    assert signals["maintainer_popular"].value == 1.0 and "dougwilson" in signals["maintainer_popular"].reason
    other = PackageMetadata(suspect, "live", summary="Sort helpers", maintainers=("stranger",))
    assert {s.name: s for s in judge.signals(suspect, cand("lodash"), other, None)}["maintainer_popular"].value == 0.0
    store.close()


def test_a_new_signal_is_one_entry_and_the_shipped_model_still_judges_with_its_prior():
    """Adding a signal is one (spec, function) entry: the shipped model, which never saw it, loads and
    judges; unknown, the signal changes nothing; known, it weighs exactly its documented prior."""
    seen: list[str] = []

    def sig_brand_new(pair: sig.Pair) -> sig.Signal:
        seen.append(str(pair.suspect))
        m = pair.suspect_meta
        if m is None or m.summary is None:
            return sig.Signal("brand_new", None)
        hit = "evil" in m.summary
        return sig.Signal("brand_new", float(hit), "summary says evil" if hit else None)

    table = sig.TABLE.extended((sig.FeatureSpec("brand_new", 0.0, prior=3.0, sign=1), sig_brand_new))
    shipped, extended = ThreatModel.load(), ThreatModel.load(signals=table)
    assert extended.features == (*sig.FEATURE_NAMES, "brand_new") and extended.coef[-1] == 3.0
    assert np.array_equal(extended.coef[:-1], shipped.coef)
    suspect = names.parse("lodahs", NPM)
    c = cand("lodash", rank=500, dist=1)
    old, new = Judge(shipped), Judge(extended)
    assert new(suspect, (c,))[0].threat_probability == old(suspect, (c,))[0].threat_probability  # unknown: no effect
    record = {suspect: PackageMetadata(package=suspect, source="live", summary="an evil helper")}
    before = old(suspect, (c,), record)[0]
    after = new(suspect, (c,), record)[0]
    assert seen and after.threat_probability > before.threat_probability
    z = lambda p: np.log(p / (1 - p))  # noqa: E731
    a = shipped.calib_a
    assert z(after.threat_probability) - z(before.threat_probability) == pytest.approx(3.0 * a, abs=0.02)
    assert "summary says evil" in after.reasons


def test_summary_shared_is_counted_through_the_store_once_per_suspect(tmp_path):
    campaign = "To evoid errors use administative permissions while installing"
    suspect = names.parse("lodahs", NPM)

    def rec(summary: str, source: str = "live") -> PackageMetadata:
        return PackageMetadata(suspect, source, summary=summary, version_count=1, latest_version="0.1.0")

    def shared(judge: Judge, record: PackageMetadata) -> sig.Signal:
        return {s.name: s for s in judge.signals(suspect, cand("lodash"), record, None)}["summary_shared"]

    store = Store.open(tmp_path / "s.db")
    digest = sig.summary_digest(rec(campaign))
    store.record_summaries([(names.parse(n, NPM), digest) for n in ("lodahs", "lodsah", "lodashs", "loadsh")])
    judge = Judge.default(store=store)
    hit = shared(judge, rec(campaign))
    assert hit.value == 3.0 and "as 3 other packages" in hit.reason  # never itself
    assert shared(judge, rec("Sort and group helpers for arrays of records")).value == 0.0
    assert shared(judge, rec("A small example package")).value == 0.0  # filler never counts
    assert shared(judge, rec(campaign, source="snapshot:npm.tsv")).value is None
    assert shared(Judge.default(), rec(campaign)).value is None  # no store

    class RecordsOnly:  # a metadata source that records no summaries
        def get_many(self, pkgs):
            return {p: None for p in pkgs}

    assert shared(Judge.default(store=RecordsOnly()), rec(campaign)).value is None
    alone = Judge.default()(suspect, (cand("lodash"), cand("lodash-es")), {suspect: rec(campaign)})
    together = judge(suspect, (cand("lodash"), cand("lodash-es")), {suspect: rec(campaign)})
    assert all(t.threat_probability > a.threat_probability for a, t in zip(alone, together, strict=True))

    class Counting(RecordsOnly):
        calls = 0

        def summary_peers(self, pkg, digest, *, since):
            Counting.calls += 1
            return store.summary_peers(pkg, digest, since=since)

    counted = Judge.default(store=Counting())(suspect, (cand("lodash"), cand("lodash-es")), {suspect: rec(campaign)})
    assert Counting.calls == 1 and [c.threat_probability for c in counted] == [c.threat_probability for c in together]
    store.close()
