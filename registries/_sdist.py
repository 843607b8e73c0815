"""Read a PyPI sdist's `setup.py` in memory, safely, and say what it does at install.

An sdist is attacker-written: it is never extracted to disk. `read_setup_py(data, filename)` opens the
archive from bytes (`.tar.gz`/`.tgz` streamed through a decompressed-bytes cap, `.zip` through its
central directory), takes the regular file `<top>/setup.py` (one folder deep, no `..`, no absolute or
linked path) and returns at most SETUP_MAX_BYTES of it; a bomb, a truncated archive, or a setup.py over
the cap raises SdistError with one line of reason. `install_behaviour(source)` reads the source with
`ast` (never runs it) and names what runs at install:

    cmdclass         overrides a setuptools install command (install, develop, egg_info ...)
    runs-commands    os.system / subprocess / os.popen / os.exec* / os.spawn* / pty.spawn
    downloads        urllib / requests / httpx / http.client / socket / ftplib calls
    executes-code    exec / eval of anything but a file it reads (`exec(open("v.py").read())` is common)
    decodes-payload  base64 / zlib / marshal / codecs decoding

Source that does not parse (Python 2, deliberate noise) is read with patterns for the same things.
"""

from __future__ import annotations

import ast
import gzip
import io
import re
import tarfile
import zipfile
import zlib

from confuguard.errors import RegistryError

#: An sdist larger than this is not downloaded (bytes on the wire).
SDIST_MAX_BYTES = 2 * 1024 * 1024
#: At most this many bytes are decompressed from a tar.gz while looking for setup.py (a bomb stops here).
DECOMPRESSED_MAX_BYTES = 32 * 1024 * 1024
#: A setup.py larger than this is not read.
SETUP_MAX_BYTES = 256 * 1024
#: At most this many archive members are looked at.
MAX_MEMBERS = 20000

ORDER = ("cmdclass", "runs-commands", "downloads", "executes-code", "decodes-payload")
#: Behaviours that make setup.py an install hook (code of the author's that runs when the package installs).
HOOK = frozenset({"cmdclass", "runs-commands", "downloads", "executes-code"})


class SdistError(RegistryError):
    """The sdist could not be read (format, size, damage): its install behaviour stays unknown."""


class _Capped(io.RawIOBase):
    """A reader that fails once more than `cap` bytes were read from `inner`."""

    def __init__(self, inner: io.BufferedIOBase | gzip.GzipFile, cap: int) -> None:
        self._inner, self._left = inner, cap

    def readable(self) -> bool:
        return True

    def readinto(self, buf: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(min(len(buf), self._left + 1))
        if len(data) > self._left:
            raise SdistError(f"sdist decompresses to more than {DECOMPRESSED_MAX_BYTES} bytes (refused as a bomb)")
        self._left -= len(data)
        buf[: len(data)] = data
        return len(data)


def _is_setup_py(name: str) -> bool:
    parts = name.removeprefix("./").split("/")
    return len(parts) == 2 and parts[1] == "setup.py" and parts[0] not in ("", ".", "..") and "\\" not in name


def read_setup_py(data: bytes, filename: str) -> str:
    """The text of `<top>/setup.py` in the sdist `data` (named `filename`); SdistError when it cannot be read."""
    low = filename.lower()
    try:
        if low.endswith((".tar.gz", ".tgz")):
            raw = _from_tar(data)
        elif low.endswith(".zip"):
            raw = _from_zip(data)
        else:
            raise SdistError(f"sdist format of {filename[:80]!r} is not read (only .tar.gz and .zip)")
    except SdistError:
        raise
    except (tarfile.TarError, zipfile.BadZipFile, zlib.error, gzip.BadGzipFile, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise SdistError(f"sdist {filename[:80]!r} is damaged ({type(exc).__name__})") from exc
    if raw is None:
        raise SdistError(f"sdist {filename[:80]!r} has no setup.py")
    return raw.decode("utf-8", errors="replace")


def _from_tar(data: bytes) -> bytes | None:
    stream = io.BufferedReader(_Capped(gzip.GzipFile(fileobj=io.BytesIO(data)), DECOMPRESSED_MAX_BYTES))
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for n, member in enumerate(tar):
            if n >= MAX_MEMBERS:
                raise SdistError(f"sdist has more than {MAX_MEMBERS} members")
            if _is_setup_py(member.name):
                if not member.isreg():
                    return None  # a link or device named setup.py: nothing of the author's to read
                if member.size > SETUP_MAX_BYTES:
                    raise SdistError(f"setup.py is {member.size} bytes (read up to {SETUP_MAX_BYTES})")
                fh = tar.extractfile(member)
                return fh.read(SETUP_MAX_BYTES) if fh is not None else None
    return None


def _from_zip(data: bytes) -> bytes | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise SdistError(f"sdist has more than {MAX_MEMBERS} members")
        info = next((i for i in infos if _is_setup_py(i.filename) and not i.is_dir()), None)
        if info is None:
            return None
        if info.file_size > SETUP_MAX_BYTES:
            raise SdistError(f"setup.py is {info.file_size} bytes (read up to {SETUP_MAX_BYTES})")
        with zf.open(info) as fh:
            body = fh.read(SETUP_MAX_BYTES + 1)  # never more, whatever the header claims
        if len(body) > SETUP_MAX_BYTES:
            raise SdistError(f"setup.py decompresses past {SETUP_MAX_BYTES} bytes")
        return body


# -- what setup.py does --------------------------------------------------------------------------------

#: setuptools commands that run when a package is installed from source (building extensions is not a hook).
_INSTALL_COMMANDS = frozenset("install develop egg_info bdist_egg easy_install install_lib install_scripts".split())
_RUNS = ("os.system", "os.popen", "os.exec", "os.spawn", "os.startfile", "subprocess.", "commands.", "pty.spawn",
         "popen2.")
_FETCHES = ("urllib.request.", "urllib.urlopen", "urllib.urlretrieve", "urllib2.", "requests.", "http.client.",
            "httplib.", "socket.", "httpx.", "aiohttp.", "urllib3.", "ftplib.", "pip._vendor.requests.",
            "wget.", "pycurl.")
_DECODES = ("base64.", "zlib.decompress", "marshal.loads", "codecs.decode", "binascii.a2b", "bz2.decompress",
            "lzma.decompress")
_EXECS = frozenset({"exec", "eval", "execfile", "builtins.exec", "builtins.eval", "__builtin__.eval"})


def install_behaviour(source: str) -> tuple[str, ...]:
    """What `setup.py` source does at install, as tags in ORDER (() when none of them)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _by_pattern(source)
    try:
        found = _Visitor().scan(tree)
    except RecursionError:
        return _by_pattern(source)
    return tuple(t for t in ORDER if t in found)


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.alias: dict[str, str] = {}
        self.found: set[str] = set()

    def scan(self, tree: ast.AST) -> set[str]:
        for node in ast.walk(tree):  # imports first, wherever they are, so every call resolves
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.alias[(a.asname or a.name).split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    self.alias[a.asname or a.name] = f"{node.module}.{a.name}"
        self.visit(tree)
        return self.found

    def _dotted(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.alias.get(node.id, node.id))
        return ".".join(reversed(parts))

    def _reads_a_file(self, node: ast.Call) -> bool:
        """`exec(open("pkg/version.py").read())`: reading its own version file, the common harmless use."""
        return any(isinstance(n, ast.Call) and (self._dotted(n.func) or "").endswith(("open", ".read"))
                   for arg in node.args[:1] for n in ast.walk(arg))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            name = self._dotted(base) or ""
            if name.rsplit(".", 1)[-1] in _INSTALL_COMMANDS and ("command" in name or name in _INSTALL_COMMANDS):
                self.found.add("cmdclass")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for k in node.keywords:  # cmdclass={"install": ...}; build-only overrides (build_ext) are not hooks
            if k.arg == "cmdclass" and isinstance(k.value, ast.Dict) and any(
                    isinstance(key, ast.Constant) and key.value in _INSTALL_COMMANDS for key in k.value.keys):
                self.found.add("cmdclass")
        name = self._dotted(node.func) or ""
        if name.startswith(_RUNS):
            self.found.add("runs-commands")
        if name.startswith(_FETCHES) or name in ("urlopen", "urlretrieve"):
            self.found.add("downloads")
        if name in _EXECS and not self._reads_a_file(node):
            self.found.add("executes-code")
        if name.startswith(_DECODES):
            self.found.add("decodes-payload")
        self.generic_visit(node)


_PATTERNS = (
    ("cmdclass", re.compile(r"[\"'](install|develop|egg_info)[\"']\s*:|\(\s*(install|develop|egg_info)\s*\)")),
    ("runs-commands", re.compile(r"\bos\.(system|popen|exec\w*|spawn\w*)\s*\(|\bsubprocess\.\w+\s*\(|\bPopen\s*\(")),
    ("downloads", re.compile(r"\burl(open|retrieve)\s*\(|\brequests\.(get|post)\s*\(|\bsocket\.socket\s*\(|"
                             r"\bhttp\.client\b|\bhttpx\.\w+\s*\(")),
    ("executes-code", re.compile(r"(?<![\w.])(exec|eval)\s*\(")),
    ("decodes-payload", re.compile(r"\b(b64decode|b32decode|a85decode|zlib\.decompress|marshal\.loads)\s*\(")),
)


def _by_pattern(source: str) -> tuple[str, ...]:
    return tuple(tag for tag, rx in _PATTERNS if rx.search(source))


__all__ = ["DECOMPRESSED_MAX_BYTES", "HOOK", "SDIST_MAX_BYTES", "SETUP_MAX_BYTES", "SdistError", "install_behaviour",
           "read_setup_py"]
