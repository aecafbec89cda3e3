"""Corpus location, per-user folders, and the verified ToTA download.

Downloads are served by a local HTTP server on 127.0.0.1; nothing here
touches the network beyond that.
"""

from __future__ import annotations

import hashlib
import http.server
import importlib.util
import io
import socket
import stat
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rulecompare import corpus, paths
from rulecompare.corpus import (
    TOTA_COMMIT,
    CorpusError,
    download_tota,
    load_tota_manifest,
    parse_manifest,
    resolve_corpus,
    verify_tota_dir,
)

ROOT = Path(__file__).resolve().parent.parent
PREFIX = f"tota-{TOTA_COMMIT}/"


# ---------------------------------------------------------------- per-user folders


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA", "RULECOMPARE_DB"):
        monkeypatch.delenv(var, raising=False)
    return home


def test_linux_dirs_default_and_xdg(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert paths.data_dir() == home / ".local" / "share" / "rulecompare"
    assert paths.cache_dir() == home / ".cache" / "rulecompare"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdata"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xcache"))
    assert paths.data_dir() == tmp_path / "xdata" / "rulecompare"
    assert paths.cache_dir() == tmp_path / "xcache" / "rulecompare"
    assert paths.default_db_path() == tmp_path / "xdata" / "rulecompare" / "rulecompare.db"
    # The XDG spec says relative values are invalid and must be ignored.
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert paths.data_dir() == home / ".local" / "share" / "rulecompare"


def test_macos_and_windows_dirs(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths.data_dir() == home / "Library" / "Application Support" / "rulecompare"
    assert paths.cache_dir() == home / "Library" / "Caches" / "rulecompare"
    monkeypatch.setattr(sys, "platform", "win32")
    assert paths.data_dir() == home / "AppData" / "Local" / "rulecompare"
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert paths.data_dir() == tmp_path / "local" / "rulecompare"
    assert paths.cache_dir() == tmp_path / "local" / "rulecompare" / "Cache"


def test_resolve_db_path_order(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    default = home / ".local" / "share" / "rulecompare" / "rulecompare.db"
    assert paths.resolve_db_path(None) == (default, "per-user data directory")
    monkeypatch.setenv("RULECOMPARE_DB", "")
    assert paths.resolve_db_path(None) == (default, "per-user data directory")
    monkeypatch.setenv("RULECOMPARE_DB", "~/env.db")
    assert paths.resolve_db_path(None) == (home / "env.db", "RULECOMPARE_DB")
    assert paths.resolve_db_path(tmp_path / "opt.db") == (tmp_path / "opt.db", "--db option")


# ---------------------------------------------------------------- corpus location


@dataclass
class Layout:
    option: Path
    env: Path
    cwd: Path
    shared: Path
    cache: Path


@pytest.fixture
def layout(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Layout:
    """One corpus per place resolve_corpus looks, each recognisable by its content."""
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv(paths.CORPUS_ENV, raising=False)
    monkeypatch.delenv(paths.SHARED_ENV, raising=False)
    option = tmp_path / "opt"
    (option / "tota" / "xml").mkdir(parents=True)
    (option / "tota" / "xml" / "pta_1.xml").write_text("<treaty/>")
    env = tmp_path / "env"
    (env / "ggo").mkdir(parents=True)
    (env / "ggo" / "MANIFEST.csv").write_text("file,title\n")
    cwd = tmp_path / "work" / "main"
    cwd.mkdir(parents=True)
    shared = tmp_path / "work" / "shared" / "corpora"
    (shared / "pdf").mkdir(parents=True)
    (shared / "pdf" / "b.pdf").write_bytes(b"%PDF")
    (shared / "pdf" / "a.pdf").write_bytes(b"%PDF")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "rulecompare" / "corpora"
    (cache / "tota" / "xml").mkdir(parents=True)
    (cache / "tota" / "xml" / "pta_2.xml").write_text("<treaty/>")
    monkeypatch.chdir(cwd)
    # Keep the real ../shared beside this checkout out of the picture.
    monkeypatch.setattr(paths, "_CHECKOUT", tmp_path / "nowhere" / "checkout")
    return Layout(option, env, cwd, shared, cache)


def test_resolution_order(layout: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.CORPUS_ENV, str(layout.env))

    found = resolve_corpus(layout.option)
    assert (found.root, found.reason) == (layout.option, "--corpus option")
    assert found.tota_xml == layout.option / "tota" / "xml"
    assert (found.ggo_manifest, found.pdfs) == (None, ())

    found = resolve_corpus()
    assert (found.root, found.reason) == (layout.env, "RULECOMPARE_CORPUS")
    assert found.ggo_manifest == layout.env / "ggo" / "MANIFEST.csv"
    assert found.tota_xml is None

    monkeypatch.delenv(paths.CORPUS_ENV)
    found = resolve_corpus()
    assert found.root == layout.shared
    assert "working directory" in found.reason
    assert found.pdfs == (layout.shared / "pdf" / "a.pdf", layout.shared / "pdf" / "b.pdf")

    # Run from elsewhere: the checkout's sibling shared/ is still found.
    other = tmp_path / "other" / "dir"
    other.mkdir(parents=True)
    monkeypatch.chdir(other)
    monkeypatch.setattr(paths, "_CHECKOUT", layout.cwd)
    found = resolve_corpus()
    assert found.root == layout.shared
    assert "checkout" in found.reason

    monkeypatch.setattr(paths, "_CHECKOUT", tmp_path / "nowhere" / "checkout")
    found = resolve_corpus()
    assert found.root == layout.cache
    assert found.tota_xml == layout.cache / "tota" / "xml"
    assert "cache" in found.reason

    (layout.cache / "tota" / "xml" / "pta_2.xml").unlink()
    found = resolve_corpus()
    assert not found.found
    assert found.root is None and found.tota_xml is None
    assert "rulecompare corpus download" in found.reason and "--corpus" in found.reason


def test_shared_env_variable_finds_the_corpora(
    layout: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere" / "shared"
    (other / "corpora" / "ggo").mkdir(parents=True)
    (other / "corpora" / "ggo" / "MANIFEST.csv").write_text("file,title\n")
    monkeypatch.setenv(paths.SHARED_ENV, str(other))
    found = resolve_corpus()
    assert (found.root, found.reason) == (other / "corpora", "$RULECOMPARE_SHARED/corpora")
    # RULECOMPARE_CORPUS names the corpus itself and wins over the shared folder.
    monkeypatch.setenv(paths.CORPUS_ENV, str(layout.env))
    assert resolve_corpus().root == layout.env


def test_shared_folder_lookups_say_where_they_looked(
    layout: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.METADATA_ENV, raising=False)
    shared = layout.shared.parent
    found = paths.shared_dir()
    assert (found.path, found.reason, found.tried) == (shared, "../shared beside the working directory", ())
    assert not paths.metadata_dir().found
    (shared / "metadata").mkdir()
    found = paths.metadata_dir()
    assert (found.path, found.reason) == (
        shared / "metadata",
        "../shared/metadata beside the working directory",
    )
    # A folder without the file asked for is passed over, and the lookup says so.
    (shared / "metadata" / "wto-rta-all.csv").write_text("x")
    named = tmp_path / "named-metadata"
    named.mkdir()
    monkeypatch.setenv(paths.METADATA_ENV, str(named))
    found = paths.metadata_dir(needs="wto-rta-all.csv")
    assert found.path == shared / "metadata" and not found.explicit
    assert found.tried == (f"{named} (RULECOMPARE_METADATA: no wto-rta-all.csv there)",)
    assert paths.metadata_dir().path == named
    missing = paths.metadata_dir(needs="desta-list.csv")
    assert not missing.found and missing.path is None
    assert missing.reason.startswith("looked in ") and len(missing.tried) == 3
    assert "no desta-list.csv there" in missing.reason
    # Beside the working directory and beside the checkout are looked at once when they are one place.
    monkeypatch.setattr(paths, "_CHECKOUT", layout.cwd)
    assert [p.reason for p in paths.shared_places()] == ["../shared beside the working directory"]
    monkeypatch.chdir(tmp_path)
    assert [p.reason for p in paths.shared_places()] == [
        "../shared beside the working directory",
        "../shared beside the rulecompare checkout",
    ]
    assert paths.shared_dir().path == shared
    # The corpus folder named by RULECOMPARE_CORPUS is chosen as named, to be checked by the caller.
    monkeypatch.setenv(paths.CORPUS_ENV, str(tmp_path / "no-such-corpus"))
    found = paths.corpora_dir()
    assert (found.path, found.reason, found.explicit) == (
        tmp_path / "no-such-corpus",
        "RULECOMPARE_CORPUS",
        True,
    )


def test_explicit_paths_must_exist_and_hold_a_corpus(
    layout: Layout, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(CorpusError, match="corpus folder not found") as err:
        resolve_corpus(missing)
    assert str(missing) in str(err.value) and "\n" not in str(err.value)

    monkeypatch.setenv(paths.CORPUS_ENV, str(missing))
    with pytest.raises(CorpusError, match="RULECOMPARE_CORPUS"):
        resolve_corpus()

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no corpus in"):
        resolve_corpus(empty)
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    with pytest.raises(CorpusError, match="not a folder"):
        resolve_corpus(afile)


def test_folder_of_xml_and_tota_checkout_are_accepted(layout: Layout) -> None:
    xml = layout.option / "tota" / "xml"
    found = resolve_corpus(xml)
    assert (found.root, found.tota_xml) == (xml, xml)
    # A clone of the ToTA repository itself (xml/ at its top).
    found = resolve_corpus(layout.option / "tota")
    assert (found.root, found.tota_xml) == (layout.option / "tota", xml)


def test_real_shared_corpus_found_from_checkout(corpora_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if (ROOT.parent / "shared" / "corpora").resolve() != corpora_dir.resolve():
        pytest.skip("the corpus is not beside this checkout (given through RULECOMPARE_SHARED)")
    monkeypatch.delenv(paths.CORPUS_ENV, raising=False)
    monkeypatch.chdir(ROOT)
    found = resolve_corpus()
    assert found.root == corpora_dir.resolve()
    assert found.tota_xml == corpora_dir.resolve() / "tota" / "xml"
    assert found.ggo_manifest == corpora_dir.resolve() / "ggo" / "MANIFEST.csv"
    assert corpora_dir.resolve() / "pdf" / "rcep-2020.pdf" in found.pdfs


# ---------------------------------------------------------------- manifest and verification


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_pinned_manifest_matches_shared_corpus(tota_dir: Path) -> None:
    pinned = load_tota_manifest()
    assert len(pinned) == 450
    assert set(pinned) == {p.name for p in tota_dir.glob("pta_*.xml")}
    assert verify_tota_dir(tota_dir) == []
    # The generator script reproduces the committed manifest from the same files.
    spec = importlib.util.spec_from_file_location(
        "make_tota_manifest", ROOT / "scripts" / "make_tota_manifest.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert parse_manifest("\n".join(script.manifest_lines(tota_dir))) == pinned


def test_parse_manifest_formats_and_errors() -> None:
    a, b = "a" * 64, "B" * 64
    assert parse_manifest(f"# note\n\n{a}  pta_1.xml\n{b} *pta_2.xml\n") == {
        "pta_1.xml": a,
        "pta_2.xml": "b" * 64,
    }
    with pytest.raises(CorpusError, match="malformed line 2"):
        parse_manifest(f"{a}  pta_1.xml\nabc  pta_2.xml\n")


def test_verify_tota_dir_reports_each_problem(tmp_path: Path) -> None:
    (tmp_path / "pta_1.xml").write_bytes(b"one")
    (tmp_path / "pta_2.xml").write_bytes(b"two, edited")
    (tmp_path / "pta_9.xml").write_bytes(b"nine")
    (tmp_path / "notes.txt").write_bytes(b"ignored")
    manifest = {"pta_1.xml": _sha(b"one"), "pta_2.xml": _sha(b"two"), "pta_10.xml": _sha(b"ten")}
    assert verify_tota_dir(tmp_path, manifest) == [
        "missing pta_10.xml",
        "pta_2.xml differs from the pinned copy",
        "unexpected file pta_9.xml (not in the pinned manifest)",
    ]
    assert verify_tota_dir(tmp_path / "absent", manifest) == [f"not a folder: {tmp_path / 'absent'}"]


# ---------------------------------------------------------------- download


@dataclass
class Route:
    body: bytes
    status: int = 200
    length: int | None = -1
    """Content-Length to send: -1 for the true length, None to send none."""


@dataclass
class Server:
    base: str
    routes: dict[str, Route] = field(default_factory=dict)

    def serve(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    routes: dict[str, Route] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            self.send_response(route.status)
            if route.length is not None:
                length = len(route.body) if route.length == -1 else route.length
                self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # A short poll interval lets shutdown() return quickly at teardown.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _zip(members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(PREFIX, b"")
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, data)
    return buf.getvalue()


# Incompressible-ish text so that the archive spans several 64 KiB chunks.
BIG = b"".join(hashlib.sha256(str(i).encode()).hexdigest().encode() + b"\n" for i in range(6000))
XML = {
    "pta_1.xml": b"<treaty>one</treaty>\n",
    "pta_2.xml": b"<treaty>two</treaty>\n",
    "pta_30.xml": BIG,
}
MANIFEST = {name: _sha(data) for name, data in XML.items()}


def _tota_members(xml: dict[str, bytes] = XML) -> dict[str, bytes]:
    members = {PREFIX + "xml/" + name: data for name, data in xml.items()}
    members[PREFIX + "LICENSE"] = b"CC BY-NC 4.0"
    members[PREFIX + "README.md"] = b"# ToTA"
    members[PREFIX + "R/build.R"] = b"not wanted"
    members[PREFIX + "xml/readme.txt"] = b"not wanted either"
    return members


def _assert_untouched(dest: Path) -> None:
    """A failed download leaves no folder it created and nothing inside one that existed."""
    assert not dest.exists() or [p.name for p in dest.iterdir()] == []


def test_download_success(server: Server, tmp_path: Path) -> None:
    archive = _zip(_tota_members())
    url = server.serve("/tota.zip", Route(archive))
    dest = tmp_path / "corpora"
    calls: list[tuple[int, int | None]] = []

    result = download_tota(
        dest,
        url=url,
        sha256=_sha(archive).upper(),
        progress=lambda d, t: calls.append((d, t)),
        manifest=MANIFEST,
    )

    assert result == dest
    xml = dest / "tota" / "xml"
    assert {p.name: p.read_bytes() for p in xml.iterdir()} == XML
    assert sorted(p.name for p in (dest / "tota").iterdir()) == [
        "LICENSE",
        "SOURCE.md",
        "UPSTREAM-README.md",
        "xml",
    ]
    assert (dest / "tota" / "LICENSE").read_bytes() == b"CC BY-NC 4.0"
    assert _sha(archive) in (dest / "tota" / "SOURCE.md").read_text()
    assert sorted(p.name for p in dest.iterdir()) == ["tota"]  # no temp folder left behind
    assert calls[0] == (0, len(archive))
    done = [d for d, _ in calls]
    assert done == sorted(set(done)) and len(done) >= 3
    assert calls[-1] == (len(archive), len(archive))
    assert verify_tota_dir(xml, MANIFEST) == []
    assert resolve_corpus(dest).tota_xml == xml


def test_download_without_content_length_and_replacing_old_copy(server: Server, tmp_path: Path) -> None:
    archive = _zip(_tota_members())
    url = server.serve("/tota.zip", Route(archive, length=None))
    dest = tmp_path / "corpora"
    (dest / "tota" / "xml").mkdir(parents=True)
    (dest / "tota" / "xml" / "pta_999.xml").write_text("stale")
    (dest / "keep.txt").write_text("user file")
    calls: list[tuple[int, int | None]] = []

    download_tota(dest, url=url, progress=lambda d, t: calls.append((d, t)), manifest=MANIFEST)

    assert sorted(p.name for p in (dest / "tota" / "xml").iterdir()) == sorted(XML)
    assert sorted(p.name for p in dest.iterdir()) == ["keep.txt", "tota"]
    assert {t for _, t in calls} == {None}
    assert calls[-1][0] == len(archive)


def test_failure_keeps_an_existing_copy(server: Server, tmp_path: Path) -> None:
    archive = _zip(_tota_members())
    url = server.serve("/tota.zip", Route(archive))
    dest = tmp_path / "corpora"
    (dest / "tota" / "xml").mkdir(parents=True)
    (dest / "tota" / "xml" / "pta_1.xml").write_text("old copy")
    with pytest.raises(CorpusError, match="checksum mismatch"):
        download_tota(dest, url=url, sha256="0" * 64, manifest=MANIFEST)
    assert [p.name for p in dest.iterdir()] == ["tota"]
    assert [p.name for p in (dest / "tota" / "xml").iterdir()] == ["pta_1.xml"]
    assert (dest / "tota" / "xml" / "pta_1.xml").read_text() == "old copy"


def _failing_cases() -> list[tuple[str, bytes, str]]:
    good = _tota_members()
    edited = dict(good, **{PREFIX + "xml/pta_2.xml": b"<treaty>edited</treaty>\n"})
    short = {k: v for k, v in good.items() if not k.endswith("pta_1.xml")}
    slip = dict(good, **{PREFIX + "../../evil.xml": b"owned"})
    absolute = dict(good, **{"/tmp/evil.xml": b"owned"})
    whole = _zip(good)
    return [
        ("manifest-mismatch", _zip(edited), "pta_2.xml differs from the pinned copy"),
        ("manifest-missing", _zip(short), "missing pta_1.xml"),
        ("zip-slip", _zip(slip), "unsafe member"),
        ("absolute-member", _zip(absolute), "unsafe member"),
        ("symlink-member", _zip(good, symlinks=(PREFIX + "xml/pta_1.xml",)), "symbolic link"),
        ("truncated-zip", whole[: len(whole) // 2], "damaged or unreadable"),
        ("not-a-zip", b"<html>rate limited</html>", "damaged or unreadable"),
    ]


@pytest.mark.parametrize(
    ("body", "message"), [c[1:] for c in _failing_cases()], ids=[c[0] for c in _failing_cases()]
)
def test_download_rejects_bad_archives(server: Server, tmp_path: Path, body: bytes, message: str) -> None:
    url = server.serve("/tota.zip", Route(body))
    dest = tmp_path / "corpora"
    with pytest.raises(CorpusError, match=message) as err:
        download_tota(dest, url=url, manifest=MANIFEST)
    assert "\n" not in str(err.value)
    _assert_untouched(dest)
    assert not list(tmp_path.rglob("evil.xml"))


def test_download_http_and_network_errors(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "corpora"
    with pytest.raises(CorpusError, match="HTTP 404"):
        download_tota(dest, url=server.base + "/missing.zip", manifest=MANIFEST)
    _assert_untouched(dest)

    body = _zip(_tota_members())
    url = server.serve("/short.zip", Route(body[:1000], length=len(body)))
    with pytest.raises(CorpusError, match=f"download incomplete: got 1000 of {len(body)} bytes"):
        download_tota(dest, url=url, manifest=MANIFEST)
    _assert_untouched(dest)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with pytest.raises(CorpusError, match="cannot reach"):
        download_tota(dest, url=f"http://127.0.0.1:{closed_port}/x.zip", manifest=MANIFEST, timeout=5)
    _assert_untouched(dest)

    with pytest.raises(CorpusError, match="only http and https"):
        download_tota(dest, url=(tmp_path / "x.zip").as_uri(), manifest=MANIFEST)
    _assert_untouched(dest)


def test_download_caps(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.serve("/tota.zip", Route(_zip(_tota_members())))
    dest = tmp_path / "corpora"
    monkeypatch.setattr(corpus.download, "MAX_UNPACKED_BYTES", len(BIG) // 2)
    with pytest.raises(CorpusError, match="over the .* cap"):
        download_tota(dest, url=url, manifest=MANIFEST)
    _assert_untouched(dest)
    monkeypatch.setattr(corpus.download, "MAX_UNPACKED_BYTES", 10**9)
    monkeypatch.setattr(corpus.download, "MAX_MEMBERS", 3)
    with pytest.raises(CorpusError, match="members, over the 3 cap"):
        download_tota(dest, url=url, manifest=MANIFEST)
    _assert_untouched(dest)


def test_download_real_corpus_against_pinned_manifest(server: Server, tota_dir: Path, tmp_path: Path) -> None:
    """A GitHub-shaped archive of the shared ToTA copy passes the default (pinned) manifest."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(tota_dir.glob("pta_*.xml")):
            zf.write(path, PREFIX + "xml/" + path.name)
    url = server.serve("/real.zip", Route(buf.getvalue()))
    dest = download_tota(tmp_path / "corpora", url=url)
    assert verify_tota_dir(dest / "tota" / "xml") == []
    assert len(list((dest / "tota" / "xml").iterdir())) == 450
