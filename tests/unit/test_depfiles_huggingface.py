"""Hugging Face model ids in Python sources, found with ast."""

from __future__ import annotations

from pathlib import Path

from confuguard.depfiles import INVALID_NAME, PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, int, int | None]]:
    assert all(d.ecosystem is Ecosystem.HUGGINGFACE for d in outcome.dependencies)
    return [(d.name, d.line, d.column) for d in outcome.dependencies]


def test_loading_calls():
    out = parse_file(PROJECTS / "huggingface" / "app.py")
    assert out.errors == []
    assert found(out) == [
        ("bert-base-uncased", 10, 43),
        ("meta-llamma/Llama-3.1-8B", 12, 5),  # the argument's own line in a multi-line call
        ("distilbert/distilbert-base-uncased-finetuned-sst-2-english", 15, 51),  # pipeline(model=...)
        ("openai-community/gpt2", 16, 35),  # hf_hub_download(repo_id=...)
        ("datasets/squad", 17, 32),  # repo_type="dataset": a dataset id
        ("sentence-transformers/all-MiniLM-L6-v2", 20, 30),  # snapshot_download("...")
    ]  # local path and non-literal argument are skipped


def test_positional_forms_and_strings_that_only_look_like_calls(tmp_path):
    f = tmp_path / "m.py"
    f.write_text(
        '"""from_pretrained("not/a-call") in a docstring"""\n'
        "# from_pretrained('also/not')\n"
        'p = pipeline("fill-mask", "google-bert/bert-base-cased")\n'
        'w = hf_hub_download("Qwen/Qwen2-7B", "config.json")\n'
        'x = load(from_pretrained)  # a name, not a call\n'
        "é = 1; y = from_pretrained('mistralai/Mistral-7B-v0.1')\n"
    )
    out = parse_file(f)
    assert out.errors == []
    assert found(out) == [
        ("google-bert/bert-base-cased", 3, 27),
        ("Qwen/Qwen2-7B", 4, 21),
        ("mistralai/Mistral-7B-v0.1", 6, 28),  # column counts characters, not UTF-8 bytes
    ]


def test_invalid_model_id(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('a = from_pretrained("bad--name/model")\nb = from_pretrained("gpt2")\n')
    out = parse_file(f)
    assert found(out) == [("gpt2", 2, 21)]
    assert [(e.line, e.kind) for e in out.errors] == [(1, INVALID_NAME)]


def test_syntax_error_names_line():
    path = PROJECTS / "malformed" / "python" / "train.py"
    out = parse_file(path)
    assert out.dependencies == []
    assert [(e.file, e.kind) for e in out.errors] == [(path, PARSE)]
    assert out.errors[0].line in (3, 4) and out.errors[0].message.startswith("invalid Python")


def test_sources_without_loading_calls_are_not_parsed(tmp_path):
    f = tmp_path / "legacy.py"
    f.write_bytes(b"print 'python 2'\n\xff\xfe not utf-8\n")
    out = parse_file(f)
    assert out.dependencies == [] and out.errors == []
