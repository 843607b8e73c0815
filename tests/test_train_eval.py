"""Labelled-CSV readers, `confuguard train` and `confuguard eval` on small hand-made files (and the shared data if present)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from confuguard.classifier import ThreatModel
from confuguard.cli import main
from confuguard.errors import InputError
from confuguard.training import metrics, read_labelled

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

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
