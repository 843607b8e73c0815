"""Readers for the inputs of build_targets.py: registry snapshots, the guarddog wheel, Debian, transformers.

Each reader returns names in popularity order (most popular first) and raises
`MissingInput` with a one-line hint when its input is not there.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from confuguard.snapshot import column_name

csv.field_size_limit(1 << 30)


class MissingInput(Exception):
    """An input file or tool is missing; the message says how to get it."""


def _require(path: Path, hint: str) -> Path:
    if not path.is_file():
        raise MissingInput(f"missing input {path}: {hint}")
    return path


def _tsv_rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [column_name(cell) for cell in next(reader)]
        for row in reader:
            if len(row) == len(header):
                yield dict(zip(header, row))


# --- registry snapshots (the environment's package lists) -------------------------------


def pypi_ranked(path: Path) -> list[tuple[str, int]]:
    """(name, rank) for every row of pypi.tsv with a rank, by rank."""
    _require(path, "the PyPI package list (name, version, month, rank_among_15000_most_downloaded, summary)")
    out = []
    for row in _tsv_rows(path):
        rank = row.get("rank_among_15000_most_downloaded", "").strip()
        if rank:
            out.append((row["name"].strip(), int(rank)))
    out.sort(key=lambda r: (r[1], r[0]))
    return out


def npm_by_downloads(path: Path) -> list[tuple[str, int]]:
    """(name, downloads a month) for every row of npm.tsv, most downloaded first (ties by name)."""
    _require(path, "the npm package list (name, version, downloads_a_month, summary)")
    out = []
    for row in _tsv_rows(path):
        dl = row.get("downloads_a_month", "").strip()
        if dl.isdigit():
            out.append((row["name"].strip(), int(dl)))
    out.sort(key=lambda r: (-r[1], r[0]))
    return out


# --- guarddog wheel ---------------------------------------------------------------------

GUARDDOG_HINT = "download it with: pip download --no-deps guarddog -d /tmp/gd"


def guarddog_wheel(path_or_dir: Path) -> Path:
    """The guarddog wheel: the file itself, or the last (by name) guarddog-*.whl in a folder."""
    if path_or_dir.is_dir():
        wheels = sorted(path_or_dir.glob("guarddog-*.whl"))
        if not wheels:
            raise MissingInput(f"missing input: no guarddog-*.whl in {path_or_dir}: {GUARDDOG_HINT}")
        return wheels[-1]
    return _require(path_or_dir, GUARDDOG_HINT)


def guarddog_list(wheel: Path, eco: str) -> tuple[list[str], int]:
    """guarddog's bundled top-package list for `eco` (pypi, npm, go, rubygems) and its download timestamp."""
    member = f"guarddog/analyzer/metadata/resources/top_{eco}_packages.json"
    with zipfile.ZipFile(wheel) as zf:
        try:
            data = json.loads(zf.read(member))
        except KeyError:
            raise MissingInput(f"missing input: {member} not in {wheel.name}") from None
    return [str(p) for p in data["packages"]], int(data.get("downloaded_timestamp", 0))


# --- Debian -----------------------------------------------------------------------------

APT_HINT = "run: apt-get update && apt-get install -y apt-file && apt-file update"


def _run(cmd: list[str]) -> str:
    if shutil.which(cmd[0]) is None:
        raise MissingInput(f"missing tool {cmd[0]}: {APT_HINT}")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise MissingInput(f"`{' '.join(cmd)}` gave nothing (exit {proc.returncode}): {APT_HINT}")
    return proc.stdout


def apt_file_search(prefix: str) -> list[tuple[str, str]]:
    """(binary package, path) pairs of `apt-file search PREFIX`, sorted."""
    pairs = []
    for line in _run(["apt-file", "search", prefix]).splitlines():
        pkg, sep, path = line.partition(": ")
        if sep:
            pairs.append((pkg.strip(), path.strip()))
    return sorted(set(pairs))


def debian_release() -> str:
    """`Debian 12 (bookworm)`, from /etc/os-release (the release whose package lists apt reads)."""
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return "Debian"
    m = re.search(r'^PRETTY_NAME="?([^"\n]*)', text, re.M)
    return m.group(1).replace(" GNU/Linux", "") if m else "Debian"


_DEP_NAME = re.compile(r"^\s*([a-z0-9][a-z0-9+.-]*)")


class DebianIndex:
    """Binary-package facts from one `apt-cache dumpavail`: reverse-dependency counts and homepages."""

    def __init__(self) -> None:
        text = _run(["apt-cache", "dumpavail"])
        rdeps: dict[str, set[str]] = defaultdict(set)
        self.homepage: dict[str, str] = {}
        self.packages: set[str] = set()
        for para in text.split("\n\n"):
            fields = _fields(para)
            pkg = fields.get("Package")
            if not pkg:
                continue
            self.packages.add(pkg)
            if "Homepage" in fields:
                self.homepage.setdefault(pkg, fields["Homepage"])
            for fname in ("Depends", "Pre-Depends", "Recommends"):
                for alt in fields.get(fname, "").replace("|", ",").split(","):
                    m = _DEP_NAME.match(alt)
                    if m and m.group(1) != pkg:
                        rdeps[m.group(1)].add(pkg)
        self.rdeps = {k: len(v) for k, v in rdeps.items()}

    def score(self, pkg: str) -> int:
        """How many binary packages depend on (or recommend) `pkg`."""
        return self.rdeps.get(pkg, 0)


def _fields(para: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    last = None
    for line in para.splitlines():
        if line[:1] in (" ", "\t"):
            if last:
                fields[last] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if sep:
            last = key
            fields[key] = value.strip()
    return fields


def rank_by_score(items: dict[str, int]) -> list[str]:
    """Names by score (highest first), ties by name."""
    return [n for n, _ in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))]


def debian_gems(index: DebianIndex) -> list[str]:
    """Gem names of Debian's rubygems-integration .gemspec files, by reverse-dependency count of their package."""
    best: dict[str, int] = {}
    for pkg, path in apt_file_search("/usr/share/rubygems-integration/"):
        if "/specifications/" not in path or not path.endswith(".gemspec"):
            continue
        name = gemspec_name(path.rsplit("/", 1)[1][: -len(".gemspec")])
        if name:
            best[name] = max(best.get(name, 0), index.score(pkg))
    return rank_by_score(best)


def gemspec_name(stem: str) -> str | None:
    """`net-http-persistent-4.0.1` -> `net-http-persistent` (platform suffixes allowed after the version)."""
    parts = stem.split("-")
    for i in range(1, len(parts)):
        if re.fullmatch(r"\d+(\.[0-9A-Za-z]+)*", parts[i]):
            return "-".join(parts[:i])
    return None


def debian_maven(index: DebianIndex) -> list[str]:
    """groupId:artifactId of Debian's maven-repo .pom files, by reverse-dependency count of their package."""
    best: dict[str, int] = {}
    root = "/usr/share/maven-repo/"
    for pkg, path in apt_file_search(root):
        if not path.startswith(root) or not path.endswith(".pom"):
            continue
        parts = path[len(root) :].split("/")
        if len(parts) < 4:
            continue
        artifact, version, fname = parts[-3], parts[-2], parts[-1]
        if fname != f"{artifact}-{version}.pom":
            continue
        group = ".".join(parts[:-3])
        if group == "debian" or group.startswith(("org.debian", "debian.")):
            continue
        coord = f"{group}:{artifact}"
        best[coord] = max(best.get(coord, 0), index.score(pkg))
    return rank_by_score(best)


def debian_go(index: DebianIndex) -> list[str]:
    """Import-path directories of Debian's gocode trees and GitHub homepages of golang-*-dev packages.

    Returned as raw paths (the caller reduces them to module paths), by reverse-dependency
    count of their package.
    """
    best: dict[str, int] = {}
    root = "/usr/share/gocode/src/"
    for pkg, path in apt_file_search(root):
        if not path.startswith(root):
            continue
        elems = path[len(root) :].split("/")[:-1]
        if len(elems) >= 2 and elems[0] != "code.google.com":  # dead host, no module roots
            p = "/".join(elems[:3])
            best[p] = max(best.get(p, 0), index.score(pkg))
    for pkg in sorted(index.packages):
        if pkg.startswith("golang-") and pkg.endswith("-dev"):
            m = re.match(r"https?://(github\.com|gitlab\.com|bitbucket\.org)/([^/\s]+)/([^/\s#?]+)", index.homepage.get(pkg, ""))
            if m:
                p = "/".join(m.groups()).removesuffix(".git")
                best[p] = max(best.get(p, 0), index.score(pkg))
    return rank_by_score(best)


# --- Hugging Face ids named in installed libraries ----------------------------------------

_HF_ID = r"[A-Za-z0-9][\w.-]*/[\w.-]+"
_HF_MENTION = re.compile(rf"""(["'])({_HF_ID})\1|huggingface\.co/({_HF_ID})|\[({_HF_ID})\]""")
_HF_DATASET = re.compile(rf"""(?:load_dataset\(\s*|huggingface\.co/datasets/|dataset_name\s*=\s*)["']?({_HF_ID})""")
#: First path elements that are Hub site sections, test fixtures or code, not model authors.
HF_NOT_AUTHORS = frozenset(
    """papers datasets docs blog spaces collections kernels-community kernels-test hf-internal-testing
    hf-tiny-model-private utils train output outputs custom_generate transformers learn text application
    encoder decoder pad_size eval model models workspace-name sys org settings join path tasks api
    checkpoints assets attention bert intermediate tmp data src tests test examples logs runs
    inference-endpoints Inference-API username user your-username my-org organization mteb v2 version
    raushan-testing-hf""".split()
)
#: Dataset ids named without a load_dataset call nearby.
HF_NOT_MODELS = frozenset({"nyu-mll/multi_nli", "nyu-mll/glue"})
#: Model names of fixtures, placeholders and examples in docs and tests.
_HF_PLACEHOLDER = re.compile(r"(?i)dummy|demo|sample|test|example|not_yet|^my-|tiny-random|^another-")
_HF_FILE = re.compile(r"\.(py|json|txt|md|bin|safetensors|ya?ml|png|jpe?g|wav|mp3|mp4|gguf|pt|pth|html|jsonl|csv|zip|tar|gz|npy|onnx)$")


def hf_mentions(package_dirs: list[Path]) -> list[tuple[str, int, int]]:
    """(id, files mentioning it, mentions) for model-shaped ids in the .py files of `package_dirs`.

    Most mentioned first. Dataset ids (seen with load_dataset or under /datasets/) and
    ids whose author is a Hub site section or a placeholder are left out.
    """
    files: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    datasets: set[str] = set()
    for root in package_dirs:
        if not root.is_dir():
            raise MissingInput(f"missing input {root}: install it into the venv (pip install transformers)")
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            datasets.update(m.group(1).rstrip(".") for m in _HF_DATASET.finditer(text))
            for m in _HF_MENTION.finditer(text):
                ident = (m.group(2) or m.group(3) or m.group(4)).rstrip(".")
                files[ident].add(str(path.relative_to(root.parent)))
                count[ident] += 1
    out = []
    for ident, n in count.items():
        author, model = ident.split("/", 1)
        if ident in datasets or ident in HF_NOT_MODELS or _HF_PLACEHOLDER.search(model):
            continue
        if author in HF_NOT_AUTHORS or len(author) < 2 or _HF_FILE.search(model):
            continue
        if not re.search(r"[A-Za-z]", model) or not re.search(r"[-_.0-9A-Z]", model):
            continue  # plain lowercase words ("bert/embeddings") are weight paths, not model ids
        out.append((ident, len(files[ident]), n))
    out.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return out


# --- Hugging Face dataset ids: lm-eval task files and library sources ---------------------

LM_EVAL_HINT = "download it with: pip download --no-deps lm-eval -d /tmp/lm-eval"
_DATASET_PATH = re.compile(r"^\s*dataset_path:\s*(?P<v>[^#\n]+)", re.M)
#: `load_dataset` builder names (files on disk, not Hub repositories).
HF_BUILDERS = frozenset("json csv parquet text arrow pandas imagefolder audiofolder videofolder webdataset sql generator".split())
_HF_DATASET_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


def lm_eval_wheel(path_or_dir: Path) -> Path:
    """The lm-eval wheel: the file itself, or the last (by name) lm_eval-*.whl in a folder."""
    if path_or_dir.is_dir():
        wheels = sorted(path_or_dir.glob("lm_eval-*.whl"))
        if not wheels:
            raise MissingInput(f"missing input: no lm_eval-*.whl in {path_or_dir}: {LM_EVAL_HINT}")
        return wheels[-1]
    return _require(path_or_dir, LM_EVAL_HINT)


def lm_eval_dataset_paths(wheel: Path) -> list[tuple[str, int]]:
    """(dataset id, task files naming it) for every `dataset_path:` in the task YAML files of the lm-eval wheel.

    Most named first, ties by id. Builder names (`json`, `csv`...), templated values and local paths are left out.
    """
    files: Counter[str] = Counter()
    with zipfile.ZipFile(wheel) as zf:
        for member in zf.namelist():
            if not (member.startswith("lm_eval/tasks/") and member.endswith((".yaml", ".yml"))):
                continue
            text = zf.read(member).decode("utf-8", errors="replace")
            found = {m.group("v").strip().strip("\"'") for m in _DATASET_PATH.finditer(text)}
            for ident in found:
                if ident and ident not in HF_BUILDERS and _HF_DATASET_ID.match(ident):
                    files[ident] += 1
    return sorted(files.items(), key=lambda kv: (-kv[1], kv[0]))


def hf_dataset_mentions(package_dirs: list[Path]) -> list[tuple[str, int]]:
    """(dataset id, files naming it) for `load_dataset("org/name")`, `huggingface.co/datasets/org/name` and
    `dataset_name="org/name"` in the .py files of `package_dirs`; most named first, ties by id."""
    files: dict[str, set[str]] = defaultdict(set)
    for root in package_dirs:
        if not root.is_dir():
            raise MissingInput(f"missing input {root}: install it into the venv (pip install transformers)")
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in _HF_DATASET.finditer(text):
                ident = m.group(1).rstrip(".")
                author, name = ident.split("/", 1)
                if author in HF_NOT_AUTHORS or _HF_PLACEHOLDER.search(ident) or _HF_FILE.search(name):
                    continue
                files[ident].add(str(path.relative_to(root.parent)))
    return sorted(((i, len(f)) for i, f in files.items()), key=lambda kv: (-kv[1], kv[0]))
