"""Hugging Face datasets (issue 17.6): identity and purl, the bundled dataset list, author and name squats,
`load_dataset` ids found by `scan`, the live record's loading script and pickles, and the dataset feed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from confuguard.registries.huggingface import HuggingFaceRegistry
from fakeregistry import FakeRegistry, fixture_json, routed
from test_registry_huggingface import _listing  # a createdAt listing with Link paging
from test_sweep import cfg  # noqa: F401 - the sweep's config pointed at `fake`

from confuguard import corpus, names
from confuguard.classifier import Judge
from confuguard.cli import main
from confuguard.depfiles import parse_file
from confuguard.engine import Engine
from confuguard.errors import InputError
from confuguard.protocols import since_cursor
from confuguard.signals import Pair, sig_pickle_weights
from confuguard.store import Store, metadata_from_json, metadata_to_json
from confuguard.sweep import Sweep
from confuguard.types import Category, Ecosystem, Verdict

HF = Ecosystem.HUGGINGFACE
DS = names.DATASET


def ds(text: str):
    return names.parse(text, HF)


# -- identity ----------------------------------------------------------------------------------------------


def test_dataset_ids_and_purls():
    p = ds("datasets/openai/gsm8k")
    assert (p.namespace, p.name, p.kind) == ("openai", "gsm8k", DS)
    assert str(p) == "datasets/openai/gsm8k" and names.repo_id(p) == "openai/gsm8k"
    assert names.purl(p) == "pkg:huggingface/openai/gsm8k?repo_type=dataset"
    assert ds(names.purl(p)) == p and ds("pkg:huggingface/openai/gsm8k?repo_type=dataset") == p
    legacy = ds("datasets/glue")
    assert (legacy.namespace, legacy.name, legacy.kind, str(legacy)) == (None, "glue", DS, "datasets/glue")
    # a model and a dataset of the same id are different packages
    model = ds("openai/gsm8k")
    assert model.kind is None and names.key(model) != names.key(p) and names.purl(model) == "pkg:huggingface/openai/gsm8k"


@pytest.mark.parametrize("bad", ["datasets/", "datasets/a/b/c", "datasets/datasets/a/b", "datasets/a--b/c",
                                 "pkg:huggingface/a/b?repo_type=space"])
def test_invalid_dataset_ids_say_why(bad):
    with pytest.raises(InputError) as err:
        ds(bad)
    assert "dataset" in str(err.value) or "repo_type" in str(err.value)


# -- bundled list ------------------------------------------------------------------------------------------


def test_bundled_dataset_list():
    c = corpus.load(HF, kind=DS)
    keys = c.by_key()
    assert len(c.targets) >= 300 and c.label == "huggingface-datasets"
    assert all(t.package.kind == DS for t in c.targets)
    for famous in ("datasets/openai/gsm8k", "datasets/cais/mmlu", "datasets/nyu-mll/glue", "datasets/glue",
                   "datasets/allenai/ai2_arc", "datasets/rowan/hellaswag"):
        assert famous in keys, famous
    assert keys["datasets/openai/gsm8k"].rank < keys["datasets/glue"].rank
    # the model list holds no dataset and the dataset list no model
    assert all(t.package.kind is None for t in corpus.load(HF).targets)
    text = c.source.read_text(encoding="utf-8")
    assert "lm_eval" in text and "dataset_path" in text  # provenance is in the file


# -- squats ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None, judge=Judge.default(store=None))


@pytest.mark.parametrize(("name", "target", "category"), [
    ("datasets/opneai/gsm8k", "datasets/openai/gsm8k", Category.SCOPE),  # author squat
    ("datasets/open-ai/gsm8k", "datasets/openai/gsm8k", Category.SCOPE),
    ("datasets/cais-ai/mmlu", "datasets/cais/mmlu", Category.SCOPE),
    ("datasets/gsm8kk", "datasets/gsm8k", Category.TYPO),  # name squat of a legacy id
    ("datasets/hellaswg", "datasets/hellaswag", Category.TYPO),
])
def test_dataset_squats_are_suspicious(engine, name, target, category):
    res = engine.check_name(name, HF)
    assert res.verdict is Verdict.SUSPICIOUS, res.reasons
    top = {names.key(c.target): c for c in res.candidates[:3]}
    assert target.lower() in top and category in top[target.lower()].categories
    assert all(c.target.kind == DS for c in res.candidates)  # datasets are compared with datasets only
    assert "dataset" in res.reasons[0]


def test_dataset_popular_sibling_and_model_kinds_stay_apart(engine):
    assert engine.check_name("datasets/openai/gsm8k", HF).verdict is Verdict.POPULAR
    sib = engine.check_name("datasets/allenai/ai2-arc", HF)
    assert sib.verdict is Verdict.BENIGN and "same namespace" in sib.reasons[0]
    # as a model id, `opneai/gsm8k` imitates no model
    assert all(c.target.kind is None for c in engine.check_name("opneai/gsm8k", HF).candidates)


# -- scan --------------------------------------------------------------------------------------------------

TRAIN_PY = '''\
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download

gsm = load_dataset("opneai/gsm8k", "main")
mmlu = load_dataset(path="cais/mmlu", name="all")
local = load_dataset("json", data_files="data/train.jsonl")
files = load_dataset("data/train.csv")
arc = hf_hub_download(repo_id="allenai/ai2-arc", filename="ARC-Easy/test.parquet", repo_type="dataset")
snap = snapshot_download("open-ai/gsm8k", repo_type="dataset")
space = snapshot_download("someone/demo-space", repo_type="space")
model = snapshot_download("google-bert/bert-base-uncased")
'''


def test_scan_finds_dataset_ids_in_python(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN_PY, encoding="utf-8")
    out = parse_file(tmp_path / "train.py")
    assert out.errors == []
    assert [(d.name, d.line) for d in out.dependencies] == [
        ("datasets/opneai/gsm8k", 4), ("datasets/cais/mmlu", 5), ("datasets/allenai/ai2-arc", 8),
        ("datasets/open-ai/gsm8k", 9), ("google-bert/bert-base-uncased", 11),
    ]


def test_scan_reports_planted_dataset_lookalikes(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CONFUGUARD_DB", str(tmp_path / "none.db"))
    (tmp_path / "train.py").write_text(TRAIN_PY, encoding="utf-8")
    assert main(["scan", str(tmp_path), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    rows = doc if isinstance(doc, list) else doc.get("results", doc.get("dependencies", []))
    verdicts = {r["name"]: r["verdict"] for r in rows}
    assert verdicts["datasets/opneai/gsm8k"] == "suspicious" and verdicts["datasets/open-ai/gsm8k"] == "suspicious"
    assert verdicts["datasets/cais/mmlu"] == "popular"
    hit = next(r for r in rows if r["name"] == "datasets/opneai/gsm8k")
    assert hit["purl"] == "pkg:huggingface/opneai/gsm8k?repo_type=dataset"
    assert hit["candidates"][0]["target"] == "datasets/openai/gsm8k"


# -- live record -------------------------------------------------------------------------------------------

API = "huggingface.co/api/datasets"


def test_dataset_record_loading_script_pickles_and_readme():
    http = routed({f"{API}/opneai/gsm8k": fixture_json("huggingface/dataset.json"),
                   "huggingface.co/datasets/opneai/gsm8k/raw/main/README.md":
                       lambda r: httpx.Response(200, text="# GSM8K", headers={"Content-Type": "text/markdown"})})
    m = HuggingFaceRegistry(http).metadata(ds("datasets/opneai/gsm8k"))
    assert m.package.kind == DS and m.author == "opneai" and m.maintainers == ("opneai",)
    assert m.loading_script == "gsm8k.py" and m.extra["python_files"] == "gsm8k.py"
    assert m.has_pickle_weights is True and [w.path for w in m.weight_files] == ["extra/features.pkl"]
    assert m.license == "mit" and m.readme == "# GSM8K" and (m.downloads, m.likes) == (12, 0)
    assert m.created.isoformat() == "2026-09-20T08:02:11+00:00" and m.latest_version.startswith("9b2d7c")
    assert [r.url.path for r in http.requests] == ["/api/datasets/opneai/gsm8k", "/datasets/opneai/gsm8k/raw/main/README.md"]
    # the record survives the store with its kind, and the loading script is a threat signal with its reason
    back = metadata_from_json(metadata_to_json(m))
    assert back.package == m.package and back.loading_script == "gsm8k.py"
    cand = Engine(encoder=None).check_name("datasets/opneai/gsm8k", HF).candidates[0]
    sig = sig_pickle_weights(Pair(m.package, cand, m, None))
    assert sig.value == 1.0 and "gsm8k.py" in sig.reason and "load_dataset" in sig.reason


def test_dataset_without_script_and_missing_dataset():
    doc = fixture_json("huggingface/dataset.json")
    doc["siblings"] = [{"rfilename": "README.md"}, {"rfilename": "data/train.parquet"}]
    http = routed({f"{API}/opneai/gsm8k": doc})
    m = HuggingFaceRegistry(http).metadata(ds("datasets/opneai/gsm8k"))
    assert m.loading_script == "" and m.has_pickle_weights is False and "python_files" not in m.extra
    http = routed({f"{API}/nobody/nothing": lambda r: httpx.Response(401, json={"error": "Repository not found"})})
    assert HuggingFaceRegistry(http).metadata(ds("datasets/nobody/nothing")) is None


def test_feed_walks_models_and_datasets_each_to_its_watermark():
    models = [{"id": f"o/m{i}", "createdAt": f"2026-09-19T10:{i:02d}:00.000Z"} for i in range(3)]
    sets = [{"id": f"o/d{i}", "createdAt": f"2026-09-19T09:{i:02d}:00.000Z"} for i in range(5)]
    http = routed({"huggingface.co/api/models": _listing(models), API: _listing(sets)})
    reg = HuggingFaceRegistry(http)
    first = reg.feed(None, limit=2)
    assert [i.name for i in first.items] == ["datasets/o/d4", "datasets/o/d3", "o/m2", "o/m1"] and first.exhausted
    assert all(i.package.kind == DS for i in first.items[:2]) and first.items[2].package.kind is None
    ds_req = next(r for r in http.requests if r.url.path == "/api/datasets")
    assert ds_req.url.params["sort"] == "createdAt" and ds_req.url.params["direction"] == "-1"
    # more datasets than models arrive: the dataset walk pages on alone once the model walk is done
    sets += [{"id": f"o/e{i}", "createdAt": f"2026-09-19T11:0{i}:00.000Z"} for i in range(5)]
    models += [{"id": "o/n0", "createdAt": "2026-09-19T11:00:00.000Z"}]
    cursor, seen, calls = first.next_cursor, [], 0
    while True:
        page = reg.feed(cursor, limit=2)
        seen += [i.name for i in page.items]
        cursor, calls = page.next_cursor, calls + 1
        if page.exhausted or calls > 10:
            break
    assert sorted(seen) == sorted([f"datasets/o/e{i}" for i in range(5)] + ["o/n0"])
    assert reg.feed(cursor, limit=2).items == ()


def test_feed_from_a_since_start_reads_both_walks_down_to_it():
    models = [{"id": f"o/m{i}", "createdAt": f"2026-09-19T10:{i:02d}:00.000Z"} for i in range(3)]
    sets = [{"id": f"o/d{i}", "createdAt": f"2026-09-19T10:{i:02d}:30.000Z"} for i in range(3)]
    reg = HuggingFaceRegistry(routed({"huggingface.co/api/models": _listing(models), API: _listing(sets)}))
    cursor, seen = since_cursor(datetime(2026, 9, 19, 10, 1, tzinfo=UTC)), []
    for _ in range(10):
        page = reg.feed(cursor, limit=1)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert sorted(seen) == ["datasets/o/d1", "datasets/o/d2", "o/m1", "o/m2"]


def test_feed_of_a_models_only_mirror_and_an_old_cursor():
    models = [{"id": "o/m0", "createdAt": "2026-09-19T10:00:00.000Z"}]
    reg = HuggingFaceRegistry(routed({"huggingface.co/api/models": _listing(models)}))
    old = json.dumps({"w": "2026-09-19T09:00:00.000Z", "ids": []})  # a cursor stored before datasets were swept
    page = reg.feed(old, limit=5)
    assert [i.name for i in page.items] == ["o/m0"] and page.exhausted and page.errors == ()


# -- sweep -------------------------------------------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        yield server


def test_sweep_of_the_dataset_feed(fake, cfg, tmp_path):
    for name in ("datasets/opneai/gsm8k", "datasets/someone/my-eval-set", "datasets/hellaswg"):
        fake.data.publish("huggingface", name)
    engine = Engine(encoder=None, judge=Judge.default())
    with Store.open(tmp_path / "s.db") as store:
        # models: start after the fake's own models; datasets: before the published ones
        store.set_feed_cursor(HF, json.dumps({"w": "2026-09-19T18:59:00.000Z", "ids": ["org0/model0"],
                                              "d": {"w": "2026-09-30T00:00:00.000Z", "ids": []}}))
        engine.judge.store = store
        summary = Sweep(store, engine, config=cfg, page_size=2).feeds([HF])
        assert not summary.failed, summary.to_json()
        alerts = {(a.suspect, a.target) for a in store.alert_rows()}
        assert ("datasets/opneai/gsm8k", "datasets/openai/gsm8k") in alerts
        assert ("datasets/hellaswg", "datasets/hellaswag") in alerts
        assert not any(s == "datasets/someone/my-eval-set" for s, _ in alerts)
        meta = store.get_metadata(ds("datasets/opneai/gsm8k"))
        assert meta is not None and meta.source == "live" and meta.loading_script == "gsm8k.py"
        assert "/hf/api/datasets/opneai/gsm8k" in " ".join(fake.requests)
        # the next run reads nothing new from either walk
        again = Sweep(store, engine, config=cfg, page_size=2).feeds([HF])
        assert again.alerts_new == 0


def test_model_and_dataset_lists_keep_their_own_caches(hash_encoder):
    from confuguard.models.index import index_path, load_or_build
    from confuguard.models.wordvec import WordVectors

    from confuguard.candidates import prepare_tables

    models = corpus.from_rows(HF, [("openai/gsm8k-model", 1, None), ("openai/whisper", 2, None)])
    sets = corpus.from_rows(HF, [("datasets/openai/gsm8k", 1, None), ("openai/whisper", 2, None)], kind=DS)
    assert [str(t.package) for t in sets.targets] == ["datasets/openai/gsm8k"]  # a model row is not a dataset
    assert (models.label, sets.label) == ("huggingface", "huggingface-datasets")
    words = WordVectors(["gsm8k", "model", "whisper"], hash_encoder.encode(["gsm8k", "model", "whisper"]))
    paths = [prepare_tables(c) for c in (models, sets)] + [index_path(c) for c in (models, sets)]
    for c in (models, sets):
        load_or_build(c, words)
    assert len(set(paths)) == 4 and all(p is not None and p.is_file() for p in paths)  # neither replaced the other
