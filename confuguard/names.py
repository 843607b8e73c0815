"""Identity and normalisation per registry: parse, validate, display, purl, comparison keys."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from packageurl import PackageURL

from confuguard.errors import InputError
from confuguard.types import Ecosystem, PackageId

if TYPE_CHECKING:
    from confuguard.ecosystems import EcosystemSpec

_NPM_PART = re.compile(r"^[A-Za-z0-9~][A-Za-z0-9._~-]*$")
_NPM_SCOPE = re.compile(r"^[A-Za-z0-9~-][A-Za-z0-9._~-]*$")
_PYPI = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_GEM = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_MAVEN_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
_GO_ELEM = re.compile(r"^[A-Za-z0-9._~+-]+$")
_GO_HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:[0-9]+)?$")
_HF_PART = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$")
_GO_MAJOR = re.compile(r"^v[0-9]+$")
_GOPKG_MAJOR = re.compile(r"\.v[0-9]+$")
_DELIMS = re.compile(r"[-_.]+")

#: Longest text `parse` looks at, whatever the registry: longer input is refused before any other work.
MAX_INPUT = 1024
#: Longest name per registry, from the registry's own rule where it has one:
#: npm: 214 characters, scope included (npm's `validate-npm-package-name`);
#: Hugging Face: 96 characters per part (the Hub's repo-id rule), so 202 for `datasets/author/name`;
#: PyPI, RubyGems, Maven, Go: no length rule is published; confuguard caps them at lengths no
#: real name comes near (the longest of the 886k names in a PyPI list is 188 characters):
#: PyPI and RubyGems 255 (a file name component; rubygems.org stores names in 255-character
#: fields), Maven 255 for groupId and for artifactId (the artifactId is a file name, the groupId
#: a directory path), Go 512 for the whole module path and 255 per element (a directory name).
MAX_LENGTH: dict[Ecosystem, int] = {
    Ecosystem.NPM: 214,
    Ecosystem.PYPI: 255,
    Ecosystem.RUBYGEMS: 255,
    Ecosystem.MAVEN: 255 + 1 + 255 + 1 + 128,  # groupId:artifactId:version
    Ecosystem.GOLANG: 512,
    Ecosystem.HUGGINGFACE: len("datasets/") + 96 + 1 + 96,
}
MAVEN_PART_MAX = 255
GO_ELEM_MAX = 255
HF_PART_MAX = 96
_EXCERPT = 60

#: Code hosts whose module paths are host/owner/repo[/...].
GO_CODE_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "git.sr.ht", "launchpad.net"}
)
#: Vanity hosts whose module paths are host/group/repo (two elements before the repo).
_GO_TWO_LEVEL = frozenset({"golang.org", "gopkg.in"})
#: `PackageId.kind` of a Hugging Face dataset; written `datasets/author/name` (the Hub's URL path) or as
#: the purl `pkg:huggingface/author/name?repo_type=dataset` (huggingface_hub's own word for it).
DATASET = "dataset"
_DATASET_PREFIX = "datasets/"


def parse(text: str, ecosystem: Ecosystem) -> PackageId:
    """Parse a package name (or a purl) written for `ecosystem`; raise InputError with the reason if invalid."""
    if len(text) > MAX_INPUT:
        raise InputError(f"{show(text)}: a name of {len(text):,} characters is longer than any registry allows")
    raw = text.strip()
    if not raw:
        raise InputError("empty package name")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise InputError(f"{show(raw)}: control characters are not allowed in package names")
    if raw.startswith("pkg:"):
        return _from_purl(raw, ecosystem)
    if any(c.isspace() for c in raw):
        raise InputError(f"{show(raw)}: package names cannot contain whitespace")
    _check_length(raw, ecosystem)
    return _parser(ecosystem)(raw)


def show(text: str) -> str:
    """`text` quoted for a one-line message: control and other unprintable characters escaped, cut to an excerpt."""
    quoted = repr(text[:_EXCERPT])
    if len(text) <= _EXCERPT and len(quoted) <= 2 * _EXCERPT:
        return quoted
    return f"{quoted[: 2 * _EXCERPT]}... ({len(text):,} characters)"


def max_length(ecosystem: Ecosystem) -> int:
    """The longest name `ecosystem` allows (`MAX_LENGTH`, or the registry descriptor's `max_length`)."""
    return MAX_LENGTH.get(ecosystem) or _spec(ecosystem).max_length


def _check_length(raw: str, ecosystem: Ecosystem) -> None:
    limit = max_length(ecosystem)
    if len(raw) > limit:
        raise InputError(f"{show(raw)}: {ecosystem.value} names are at most {limit} characters")


def _from_purl(raw: str, ecosystem: Ecosystem) -> PackageId:
    try:
        purl = PackageURL.from_string(raw)
    except ValueError as exc:
        raise InputError(f"{show(raw)}: invalid purl ({show(str(exc))})") from None
    if purl.type != ecosystem.purl_type:
        raise InputError(f"{show(raw)}: purl type {show(purl.type)} does not match registry {ecosystem.value}")
    ns = purl.namespace
    if ecosystem is Ecosystem.NPM:
        text = f"{ns}/{purl.name}" if ns else purl.name
        if ns and not ns.startswith("@"):
            text = "@" + text
    elif ecosystem is Ecosystem.MAVEN:
        text = f"{ns}:{purl.name}" if ns else purl.name
    elif ecosystem in (Ecosystem.GOLANG, Ecosystem.HUGGINGFACE):
        text = "/".join(p for p in (ns, purl.name, purl.subpath) if p)
        repo_type = (purl.qualifiers or {}).get("repo_type", "model") if ecosystem is Ecosystem.HUGGINGFACE else "model"
        if repo_type == DATASET:
            text = _DATASET_PREFIX + text
        elif repo_type != "model":
            raise InputError(f"{show(raw)}: Hugging Face repo_type {show(repo_type)} is not checked (model or dataset)")
    else:
        text = purl.name
    _check_length(text, ecosystem)
    return _parser(ecosystem)(text)


def _npm(raw: str) -> PackageId:
    if raw.startswith("@"):
        scope, sep, name = raw[1:].partition("/")
        if not sep or not scope or not name:
            raise InputError(f"{show(raw)}: a scoped npm name is @scope/name")
        if not _NPM_SCOPE.match(scope):
            raise InputError(f"{show(raw)}: invalid npm scope {show(scope)}")
        if not _NPM_PART.match(name) or "/" in name:
            raise InputError(f"{show(raw)}: invalid npm package name {show(name)}")
        return PackageId(Ecosystem.NPM, name, scope)
    if "/" in raw:
        raise InputError(f"{show(raw)}: npm names contain '/' only after an @scope")
    if raw[0] in "._":
        raise InputError(f"{show(raw)}: unscoped npm names cannot start with '.' or '_'")
    if not _NPM_PART.match(raw):
        raise InputError(f"{show(raw)}: npm names may only contain URL-safe characters (letters, digits, - . _ ~)")
    return PackageId(Ecosystem.NPM, raw)


def _pypi(raw: str) -> PackageId:
    if not _PYPI.match(raw):
        raise InputError(
            f"{show(raw)}: PyPI names are ASCII letters, digits, '-', '_', '.', starting and ending with a letter or digit"
        )
    return PackageId(Ecosystem.PYPI, raw)


def _gem(raw: str) -> PackageId:
    if not _GEM.match(raw) or not re.search(r"[A-Za-z]", raw):
        raise InputError(f"{show(raw)}: gem names are letters, digits, '_', '-', '.' and contain a letter")
    return PackageId(Ecosystem.RUBYGEMS, raw)


def _maven(raw: str) -> PackageId:
    parts = raw.split(":")
    if len(parts) not in (2, 3) or not all(parts[:2]):
        raise InputError(f"{show(raw)}: Maven names are groupId:artifactId (optionally :version)")
    group, artifact = parts[0], parts[1]
    if len(group) > MAVEN_PART_MAX or len(artifact) > MAVEN_PART_MAX:
        raise InputError(f"{show(raw)}: Maven groupIds and artifactIds are at most {MAVEN_PART_MAX} characters each")
    if not _MAVEN_PART.match(group) or ".." in group:
        raise InputError(f"{show(raw)}: invalid Maven groupId {show(group)}")
    if not _MAVEN_PART.match(artifact):
        raise InputError(f"{show(raw)}: invalid Maven artifactId {show(artifact)}")
    return PackageId(Ecosystem.MAVEN, artifact, group)


def _golang(raw: str) -> PackageId:
    path = raw.rstrip("/")
    if path.startswith(("http://", "https://")):
        raise InputError(f"{show(raw)}: a Go module path has no URL scheme (e.g. github.com/owner/repo)")
    elems = path.split("/")
    host = elems[0]
    if not _GO_HOST.match(host):
        raise InputError(f"{show(raw)}: the first element of a Go module path must be a lowercase domain name")
    for e in elems[1:]:
        if len(e) > GO_ELEM_MAX:
            raise InputError(f"{show(raw)}: Go module path elements are at most {GO_ELEM_MAX} characters")
        if not e or not _GO_ELEM.match(e) or e in (".", "..") or e.startswith("."):
            raise InputError(f"{show(raw)}: invalid Go module path element {show(e)}")
    if host in GO_CODE_HOSTS or host in _GO_TWO_LEVEL:
        if len(elems) < 3 and not (host == "gopkg.in" and len(elems) == 2):
            raise InputError(f"{show(raw)}: module paths on {host} are {host}/owner/repo")
        if host == "gopkg.in" and (len(elems) == 2 or _GOPKG_MAJOR.search(elems[1])):
            ns, name, rest = host, elems[1], elems[2:]
        else:
            ns, name, rest = f"{host}/{elems[1]}", elems[2], elems[3:]
    elif len(elems) == 1:
        return PackageId(Ecosystem.GOLANG, host)  # a module at the domain root: tailscale.com
    else:
        # Vanity hosts give no module boundary: the last element (before any /vN) is the name.
        cut = len(elems) - 1 if len(elems) > 2 and _GO_MAJOR.match(elems[-1]) else len(elems)
        ns, name, rest = "/".join(elems[: cut - 1]), elems[cut - 1], elems[cut:]
    return PackageId(Ecosystem.GOLANG, name, ns, "/".join(rest) or None)


def _hf(raw: str) -> PackageId:
    if raw.startswith(_DATASET_PREFIX):
        try:
            found = _hf(raw[len(_DATASET_PREFIX):])
        except InputError:
            found = None
        if found is None or found.kind is not None:
            raise InputError(f"{show(raw)}: a Hugging Face dataset id is datasets/author/name (or datasets/name)")
        return PackageId(Ecosystem.HUGGINGFACE, found.name, found.namespace, kind=DATASET)
    parts = raw.split("/")
    if len(parts) > 2:
        raise InputError(f"{show(raw)}: Hugging Face ids are author/model or datasets/author/name")
    for p in parts:
        if not p or len(p) > HF_PART_MAX or not _HF_PART.match(p) or "--" in p or ".." in p:
            raise InputError(
                f"{show(raw)}: Hugging Face ids use letters, digits, '-', '_', '.' (at most {HF_PART_MAX}, no '--' or '..')"
            )
    if len(parts) == 2:
        return PackageId(Ecosystem.HUGGINGFACE, parts[1], parts[0])
    return PackageId(Ecosystem.HUGGINGFACE, parts[0])


_PARSERS = {
    Ecosystem.NPM: _npm,
    Ecosystem.PYPI: _pypi,
    Ecosystem.RUBYGEMS: _gem,
    Ecosystem.MAVEN: _maven,
    Ecosystem.GOLANG: _golang,
    Ecosystem.HUGGINGFACE: _hf,
}


def _spec(ecosystem: Ecosystem) -> EcosystemSpec:
    from confuguard.ecosystems import spec

    return spec(ecosystem)


def _parser(ecosystem: Ecosystem) -> Callable[[str], PackageId]:
    """The six registries' parsers are here; another registry brings its own in its descriptor."""
    found = _PARSERS.get(ecosystem) or _spec(ecosystem).parse_name
    if found is None:
        raise InputError(f"registry {ecosystem.value} has no name parser (EcosystemSpec.parse_name)")
    return found


def display(pkg: PackageId) -> str:
    """The name as a user of the registry writes it."""
    e = pkg.ecosystem
    if e is Ecosystem.NPM:
        return f"@{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name
    if e is Ecosystem.MAVEN:
        return f"{pkg.namespace}:{pkg.name}"
    if e is Ecosystem.GOLANG:
        return "/".join(p for p in (pkg.namespace, pkg.name, pkg.subpath) if p)
    if e is Ecosystem.HUGGINGFACE:
        repo = f"{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name
        return _DATASET_PREFIX + repo if pkg.kind == DATASET else repo
    return pkg.name


def repo_id(pkg: PackageId) -> str:
    """A Hugging Face repository id as the Hub API and `huggingface_hub` take it: `author/name`, no `datasets/`."""
    return f"{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name


def kind_label(pkg: PackageId) -> str:
    """What the package is, in words: `huggingface dataset` for datasets, else `<registry> package`."""
    return f"{pkg.ecosystem.value} {'dataset' if pkg.kind == DATASET else 'package'}"


def purl(pkg: PackageId) -> str:
    """The package URL (purl) of the package, without version."""
    e = pkg.ecosystem
    ns = pkg.namespace
    name = pkg.name
    subpath = None
    if e is Ecosystem.NPM and ns:
        ns = "@" + ns
    if e is Ecosystem.PYPI:
        name = pep503(name)
    if e is Ecosystem.GOLANG:
        subpath = pkg.subpath
    qualifiers = {"repo_type": DATASET} if pkg.kind == DATASET else None
    return PackageURL(type=e.purl_type, namespace=ns, name=name, qualifiers=qualifiers, subpath=subpath).to_string()


def pep503(name: str) -> str:
    """PEP 503 canonical form of a PyPI name."""
    return _DELIMS.sub("-", name).lower()


def go_module(pkg: PackageId) -> str:
    """The Go module identity used for comparison: lowercase, `/vN` and gopkg `.vN` dropped, subpackages dropped."""
    name = _GOPKG_MAJOR.sub("", pkg.name) if pkg.namespace and pkg.namespace.startswith("gopkg.in") else pkg.name
    return f"{pkg.namespace}/{name}".lower() if pkg.namespace else name.lower()


def key(pkg: PackageId) -> str:
    """The registry-canonical comparison key: two ids with equal keys are the same package."""
    e = pkg.ecosystem
    if e is Ecosystem.PYPI:
        return pep503(pkg.name)
    if e is Ecosystem.GOLANG:
        return go_module(pkg)
    return display(pkg).lower()


def leaf(pkg: PackageId) -> str:
    """The name part without namespace, lowercased (npm bare name, artifactId, Go repo, HF model)."""
    if pkg.ecosystem is Ecosystem.PYPI:
        return pep503(pkg.name)
    if pkg.ecosystem is Ecosystem.GOLANG:
        return go_module(pkg).rsplit("/", 1)[-1]
    return pkg.name.lower()


def namespace(pkg: PackageId) -> str | None:
    """The namespace lowercased, or None."""
    return pkg.namespace.lower() if pkg.namespace else None
