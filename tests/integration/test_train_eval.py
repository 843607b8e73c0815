"""Labelled-CSV readers, `confuguard train` and `confuguard eval` on small hand-made files (and the shared data if present)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from confuguard.classifier import ThreatModel
from confuguard.cli import main
from confuguard.errors import InputError
from confuguard.training import metrics, read_labelled

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"

CONFUDB = """type,name,namespace,threat_type,removed_at,legitimate_package,label
npm,lodahs,,malware,2024-10-18,lodash,threat
npm,utils,@ghom,false_positive,,utils,benign
pypi,reqeusts,,stealthy package confusion,,requests,threat
maven,foo,org.example,false_positive,,org.example,benign
gem,bad name,,false_positive,,rails,benign
"""
NEUPANE_NO = """Adversarial pkg,Original pkg,Ecosystem,is_FP?,FP Categories (Rules),Comment
div-lib,dom-lib,npm,Yes,Distinct purpose,
expresss,express,npm,No,Missing README,
foo,bar,npm,Unkonwn,,
baz,qux,npm,,,Unavailable
"""
NEUPANE_MAL = """typosquat_pkg,legitimate_pkg,registry,confusion,categories,source,study,source_file,hallucianated
babel-loadre,babel-loader,npm,TP,['x'],s,st,f,False
rest-client2,rest-client,RubyGems,TP,['x'],s,st,f,False
jajajejejiji,nan,npm,TP,['nan'],s,st,f,False
"""
ALERTS = """registry,suspect,target,analyst_verdict,analyst,notes
npm,reactt,react,malicious,ann,
pypi,django-rest,django,benign,bob,
npm,vuee,vue,undecided,ann,
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_readers_detect_each_format(tmp_path):
    r = read_labelled(write(tmp_path, "c.csv", CONFUDB))
    assert r.kind == "confudb" and [p.label for p in r.pairs] == [1, 0, 1, 0]
    assert str(r.pairs[1].suspect) == "@ghom/utils"
    assert r.pairs[3].target is None  # a bare groupId is no package
    assert r.skipped["invalid names"] == 1
    n = read_labelled(write(tmp_path, "n.csv", NEUPANE_NO))
    assert n.kind == "neupane-nomalware" and [p.label for p in n.pairs] == [0, 1] and n.skipped["unlabelled rows"] == 2
    m = read_labelled(write(tmp_path, "m.csv", NEUPANE_MAL))
    assert [p.suspect.ecosystem.value for p in m.pairs] == ["npm", "rubygems", "npm"] and all(p.label for p in m.pairs)
    assert m.pairs[2].target is None  # `nan` is the file's mark of an unknown target, not the npm package
    a = read_labelled(write(tmp_path, "a.csv", ALERTS))
    assert a.kind == "alerts" and [p.label for p in a.pairs] == [1, 0]
    with pytest.raises(InputError, match="unrecognised"):
        read_labelled(write(tmp_path, "x.csv", "a,b\n1,2\n"))


def test_metrics_confusion_matrix():
    m = metrics([1, 1, 0, 0, 0], [1, 0, 1, 0, 0])
    assert (m["tp"], m["fn"], m["fp"], m["tn"]) == (1, 1, 1, 2)
    assert m["precision"] == 0.5 and m["recall"] == 0.5 and m["fpr"] == pytest.approx(0.3333)


def _synthetic(tmp_path) -> Path:
    rows = ["registry,suspect,target,analyst_verdict"]
    targets = ["lodash", "express", "react", "axios", "chalk", "debug", "moment", "request", "commander", "uuid"]
    for t in targets:
        rows += [f"npm,{t[:-1] + t[-1] * 2},{t},malicious", f"npm,{t[1:] + t[0]},{t},malicious",
                 f"npm,@acme{t}/{t}-tools,{t},benign", f"npm,{t}-plugin-docs,{t},benign",
                 f"npm,@team/{t},{t},benign"]
    return write(tmp_path, "alerts.csv", "\n".join(rows) + "\n")


def test_train_writes_a_verified_model_and_eval_reads_it(tmp_path, capsys):
    data = _synthetic(tmp_path)
    out = tmp_path / "model"
    assert main(["train", str(data), "--no-metadata", "--out", str(out), "--folds", "3", "-f", "json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["counts"]["pairs"] == 50 and manifest["cross_validation"]["overall"]["n"] == 50
    assert "GroupKFold(3)" in manifest["cross_validation"]["scheme"]
    assert ThreatModel.load(out).threshold == manifest["threshold"]
    assert main(["eval", str(data), "--no-metadata", "--model", str(out), "-f", "json"]) == 0
    res = json.loads(capsys.readouterr().out)["results"][0]
    assert res["targets"] == "labelled" and res["overall"]["n"] == 50 and "npm" in res["per_registry"]
    assert main(["eval", str(data), "--no-metadata", "--model", str(out)]) == 0
    text = capsys.readouterr().out
    assert "overall" in text and "FPR" in text


def test_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["eval", str(tmp_path / "missing.csv"), "--no-metadata"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read" in err
    bad = write(tmp_path, "few.csv", "registry,suspect,target,analyst_verdict\nnpm,reactt,react,malicious\n")
    assert main(["train", str(bad), "--no-metadata", "--out", str(tmp_path / "m")]) == 2


@pytest.mark.slow
def test_shipped_model_on_shared_eval_without_metadata(capsys):
    path = EVAL / "NeupaneDB_real_malware.csv"
    if not path.is_file():
        pytest.skip(f"shared eval data not found at {EVAL} (read-only development data, never copied into the repo)")
    assert main(["eval", str(path), "--no-metadata", "-f", "json"]) == 0
    res = json.loads(capsys.readouterr().out)["results"][0]
    # name-level evidence alone still catches the published attacks (in-sample: the model trained on them)
    assert res["overall"]["recall"] >= 0.9


def test_eval_predicts_a_popular_suspect_benign_as_check_does(tmp_path):
    from confuguard.classifier import Judge
    from confuguard.evaluation import predict_pairs

    rows = read_labelled(write(tmp_path, "a.csv", "registry,suspect,target,analyst_verdict,analyst,notes\n"
                                                  "npm,lodash,lodash-es,malicious,ann,\n"
                                                  "npm,lodahs,lodash,malicious,ann,\n"))
    (pop, _, how_pop), (typo, p_typo, how_typo) = predict_pairs(rows.pairs, Judge.default())
    assert (pop, how_pop) == (0, "popular")
    assert (typo, how_typo) == (1, "labelled") and p_typo is not None


def _publication_files(tmp_path: Path) -> tuple[Path, Path]:
    """Attack upload records (PyPI JSON API shape, one spam campaign of 30 and 12 single campaigns) and
    ordinary new packages as published (`published` CSV: name, target, version, summary)."""
    noise = ["GzUHeVluNzkNAQBJQkVenVrVRwQuimkYORFdhZTc", "hRRtLekmRqVHbvaCBUhscjvDBrVGaWejHGLjvKDQO"]
    recs = [{"registry": "pypi", "name": f"reqeusts{i}", "version": "1.0.0", "label": "malicious", "campaign": "spam",
             "info": {"summary": noise[i % 2]}, "files": []} for i in range(30)]
    typos = ["reqeusts", "requestss", "nunpy", "numpyy", "pandsa", "djnago", "flaks", "colorama2", "urllib4",
             "pyyalm", "setuptols", "boto33"]
    recs += [{"registry": "pypi", "name": n, "version": "99.0.0" if i % 2 else "1.0.0", "label": "malicious",
              "campaign": f"c{i}", "info": {"summary": noise[i % 2] if i % 3 else ""}, "files": []}
             for i, n in enumerate(typos)]
    recs.append({"registry": "pypi", "name": "zzqqxx-unrelated", "version": "1.0", "label": "malicious", "campaign": "x",
                 "info": {"summary": "test"}})
    attacks = tmp_path / "pypi_attacks.jsonl"
    attacks.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    lines = ["registry,suspect,target,analyst_verdict,note,version,summary"]
    ordinary = [("requests-cache-lite", "requests-cache"), ("numpy-quaternion2", "numpy-quaternion"), ("pandas-ta2", "pandas-ta"),
                ("django-ninja2", "django-ninja"), ("flask-cors2", "flask-cors"), ("pyyaml-env", "pyyaml"),
                ("boto3-stubs-lite", "boto3-stubs"), ("colorlog2", "colorlog"), ("urllib3-mock", "urllib3"),
                ("setuptools-rust2", "setuptools-rust"), ("pytest-xspec", "pytest-spec"), ("celerp", "celery")]
    for i in range(3):
        for s, t in ordinary:
            lines.append(f"pypi,{s}{'x' * i},{t},benign,ordinary,0.{i}.1,A helper for {t} that caches results on disk")
    published = tmp_path / "published.csv"
    published.write_text("\n".join(lines) + "\n")
    return attacks, published


def test_publication_mode_trains_by_campaign_and_evaluates_as_uploaded(tmp_path, capsys):
    attacks, published = _publication_files(tmp_path)
    rep = read_labelled(attacks)
    assert rep.kind == "publication" and len(rep.pairs) == 43 and all(p.target is None for p in rep.pairs)
    assert rep.pairs[0].published.summary.startswith("Gz") and rep.pairs[0].published.version_count == 1
    assert rep.pairs[0].campaign == "spam"
    pub = read_labelled(published)
    assert pub.kind == "published" and pub.pairs[0].published.latest_version == "0.0.1"
    out = tmp_path / "model"
    assert main(["train", str(attacks), str(published), "--no-metadata", "--as-of", "publication", "--out", str(out),
                 "--folds", "3", "-f", "json"]) == 0
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["as_of"] == "publication"
    assert manifest["publication_rows"]["suspect_fields"] == ["name", "version", "summary"]
    assert "by attack campaign" in manifest["cross_validation"]["scheme"]
    info = {d["file"]: d for d in manifest["training_data"]}
    assert info["pypi_attacks.jsonl"]["skipped"]["rows without a target"] >= 1  # `zzqqxx-unrelated` imitates nothing
    assert info["pypi_attacks.jsonl"]["campaigns"] >= 10
    assert manifest["feature_support"]["summary_gibberish"] > 0
    # evaluated as uploaded: the attack's own record, whatever the store holds
    assert main(["eval", str(attacks), "--no-metadata", "--as-of", "publication", "--model", str(out), "-f", "json"]) == 0
    res = json.loads(capsys.readouterr().out)["results"][0]
    assert res["as_of"] == "publication" and res["pairs_from"]["no-candidate"] >= 1
    assert res["overall"]["recall"] >= 0.8


def test_campaign_weights_give_each_campaign_the_same_total():
    from confuguard.names import parse
    from confuguard.training import LabelledPair, campaign_weights
    from confuguard.types import Ecosystem

    def row(c):
        return LabelledPair(parse("x", Ecosystem.PYPI), None, 1, "f:1", None, c)

    rows = [row("big")] * 8 + [row("a"), row("b"), LabelledPair(parse("y", Ecosystem.PYPI), None, 0, "g:1")]
    w = campaign_weights(rows)
    assert w[:8].sum() == pytest.approx(w[8]) == pytest.approx(w[9]) and w[10] == 1.0
    assert w[:10].mean() == pytest.approx(1.0)


def test_a_feature_at_its_prior_is_an_offset_the_fit_does_not_absorb():
    """Rows a prior-weighted feature already explains must not teach the learnt weights that effect again."""
    import numpy as np

    from confuguard import signals as sig
    from confuguard.training import fit

    rng = np.random.default_rng(0)
    n = 600
    X = np.zeros((n, len(sig.FEATURES)))
    free, fixed = sig.FEATURE_NAMES.index("cat_typo"), sig.FEATURE_NAMES.index("allowlisted_org")
    y = rng.integers(0, 2, n)
    # the fixed feature (prior -6) marks most benign rows, and the free one goes with it
    marked = (y == 0) & (rng.random(n) < 0.8)
    X[marked, fixed] = 1.0
    X[marked, free] = 1.0
    X[:, free] += 0.1 * rng.normal(size=n)
    res = fit(X, y, [str(i % 50) for i in range(n)], folds=5)
    assert res.coef[fixed] == sig.FEATURES[fixed].prior == -6.0
    # the prior explains the marked rows: without the offset the free weight learns about -4.5 from them
    assert res.coef[free] > -2.0
