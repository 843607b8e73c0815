"""`check --from FILE|-` streams its input (issue 16): bounded memory per line, output before the input
ends, BOM and CRLF accepted, overlong or undecodable lines rejected one by one, devices refused."""

from __future__ import annotations

import io
import json
import os
import sys
import threading

import pytest

from confuguard.cli import main
from confuguard.commands import check
from confuguard.namelist import MAX_LINE_BYTES, MAX_SKIP_BYTES, iter_names
from confuguard.types import CheckResult, Ecosystem, Verdict


class FakeEngine:
    """`reqeusts` is suspicious, anything else clean; counts the names it was given."""

    def __init__(self) -> None:
        self.seen = 0

    def check_names(self, texts: list[str], ecosystem: Ecosystem) -> list[CheckResult]:
        self.seen += len(texts)
        return [CheckResult(t, ecosystem, Verdict.SUSPICIOUS if t == "reqeusts" else Verdict.CLEAN, reasons=("r",))
                for t in texts]


@pytest.fixture
def engine(monkeypatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(check, "build_engine", lambda **_: fake)
    monkeypatch.setattr(check, "open_store", lambda *_, **__: None)
    return fake


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bom_and_crlf_are_accepted(capsys, engine, tmp_path):
    f = tmp_path / "names.txt"
    f.write_bytes(b"\xef\xbb\xbfreqeusts\r\nflask\r\n")
    code, out, err = run(capsys, "check", "--from", str(f), "-r", "pypi", "-f", "jsonl")
    assert code == 1 and err == ""
    assert [json.loads(ln)["name"] for ln in out.splitlines()] == ["reqeusts", "flask"]


def test_overlong_line_is_rejected_alone_with_a_bounded_excerpt(capsys, engine, tmp_path):
    f = tmp_path / "names.txt"
    f.write_bytes(b"flask\n" + b"\x1b[2J" + b"ab-" * 3_000_000 + b"\nreqeusts\n")
    code, out, err = run(capsys, "check", "--from", str(f), "-r", "pypi", "-f", "jsonl")
    docs = [json.loads(ln) for ln in out.splitlines()]
    assert [d["verdict"] for d in docs] == ["clean", "invalid", "suspicious"] and code == 1
    assert len(out) < 5_000 and len(err) < 500 and "\x1b" not in out + err
    assert f"line 2 is longer than {MAX_LINE_BYTES} bytes" in err and err.count("\n") == 1


def test_undecodable_line_is_rejected_alone(capsys, engine, tmp_path):
    f = tmp_path / "names.txt"
    f.write_bytes(b"flask\nna\xefve\nrequests\n")
    code, out, err = run(capsys, "check", "--from", str(f), "-r", "pypi", "-f", "csv")
    assert code == 2 and "line 2 is not UTF-8" in err
    assert [row.split(",")[3] for row in out.splitlines()[1:]] == ["clean", "invalid", "clean"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_is_a_one_line_error(capsys, engine, device):
    code, out, err = run(capsys, "check", "--from", device)
    assert code == 2 and out == "" and err.count("\n") == 1 and "not a file or a pipe" in err
    assert engine.seen == 0


def test_endless_line_on_a_pipe_is_a_one_line_error(capsys, engine, monkeypatch):
    read_fd, write_fd = os.pipe()

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as w:
            try:
                for _ in range(MAX_SKIP_BYTES // (1 << 20) + 4):
                    w.write(b"\0" * (1 << 20))
            except BrokenPipeError:
                pass

    threading.Thread(target=feed, daemon=True).start()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(os.fdopen(read_fd, "rb")))
    code, out, err = run(capsys, "check", "--from", "-")
    assert code == 2 and err.count("\n") == 1 and "without a line break" in err and "Traceback" not in err


def test_output_starts_before_the_input_ends(engine, monkeypatch):
    """The first batch is printed while the writer is still waiting to send the rest."""
    read_fd, write_fd = os.pipe()
    printed = threading.Event()

    class Out(io.StringIO):
        def write(self, s: str) -> int:
            printed.set()
            return super().write(s)

    seen_before_end: list[bool] = []

    def feed() -> None:
        with os.fdopen(write_fd, "wb") as w:
            w.write(b"flask\n" * check.BATCH)
            w.flush()
            seen_before_end.append(printed.wait(60))
            w.write(b"reqeusts\n")

    threading.Thread(target=feed, daemon=True).start()
    out = Out()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(os.fdopen(read_fd, "rb")))
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["check", "--from", "-", "-r", "pypi", "-f", "json"]) == 1
    assert seen_before_end == [True]
    docs = json.loads(out.getvalue())
    assert len(docs) == check.BATCH + 1 and docs[-1]["verdict"] == "suspicious"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_batched_output_equals_one_shot_rendering(capsys, engine, tmp_path, monkeypatch, fmt):
    from confuguard.formats import render

    monkeypatch.setattr(check, "BATCH", 3)
    names = ["flask", "reqeusts", "numpy", "django", "requests", "scipy", "x"]
    f = tmp_path / "names.txt"
    f.write_text("\n".join(names) + "\n")
    code, out, _ = run(capsys, "check", "--from", str(f), "-r", "pypi", "-f", fmt)
    expected = render(FakeEngine().check_names(names, Ecosystem.PYPI), fmt)
    if fmt == "table":  # columns are aligned per batch; rows and header match
        assert [ln.split() for ln in out.splitlines()] == [ln.split() for ln in expected.splitlines()]
    else:
        assert out == expected


def test_single_name_json_is_an_object(capsys, engine):
    code, out, _ = run(capsys, "check", "flask", "-r", "pypi", "-f", "json")
    assert json.loads(out)["name"] == "flask"


def test_iter_names_memory_does_not_grow_with_line_length():
    import tracemalloc

    stream = io.BytesIO(b"x" * (8 * MAX_SKIP_BYTES // 16) + b"\nflask\n")
    tracemalloc.start()
    items = list(iter_names(stream))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [i.name for i in items] == [None, "flask"]
    assert peak < 1 << 20  # the 8 MiB line is skipped in chunks, never held
