"""The core never imports Textual, the public API is light and typed, and the README's test command is
what CI runs."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import rulecompare

ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(rulecompare.__path__, "rulecompare."):
        if info.name.startswith(("rulecompare.tui", "rulecompare.cli", "rulecompare.__main__")):
            continue
        names.append(info.name)
    return names


def test_core_modules_do_not_load_textual() -> None:
    modules = core_modules()
    assert {"rulecompare.store", "rulecompare.parsers.tota", "rulecompare.export"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m == 'textual' or m.startswith(('textual.', 'rulecompare.tui')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_startup_does_not_load_textual() -> None:
    code = "import sys, rulecompare.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


CLI_HELP_PROBE = """
import contextlib, io, sys
import typer.main
from rulecompare.cli import app

command = typer.main.get_command(app)
def names(group, prefix):
    for name, sub in sorted(getattr(group, "commands", {}).items()):
        yield [*prefix, name]
        yield from names(sub, [*prefix, name])
for args in [["--version"], ["--help"], *([*c, "--help"] for c in names(command, []))]:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        command.main(args, prog_name="rulecompare", standalone_mode=True)
heavy = {"pandas", "numpy", "scipy", "matplotlib", "textual", "lxml", "rapidfuzz", "pyarrow", "sklearn"}
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def test_cli_start_up_and_every_help_load_no_heavy_module() -> None:
    """``rulecompare --version``, ``--help`` and every command's ``--help`` (what a user waits on before any
    work) import none of the heavy libraries: commands import them when they run. Start-up time is
    measured by benchmarks/memory.py, not here."""
    out = subprocess.run([sys.executable, "-c", CLI_HELP_PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"loaded at start-up: {out.stdout.strip()}"


def test_readme_quick_start_matches_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", quick, flags=re.S)
    assert len(blocks) == 2, "the quick start is exactly two commands"
    assert all("\n" not in b.strip() for b in blocks)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


PUBLIC = [name for name in rulecompare.__all__ if name != "__version__"]


def test_import_rulecompare_loads_no_heavy_module() -> None:
    code = (
        "import sys, rulecompare\n"
        "heavy = {'pandas', 'numpy', 'scipy', 'lxml', 'textual', 'typer', 'matplotlib', 'pyarrow'}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_names_resolve_to_their_modules() -> None:
    modules = rulecompare._PUBLIC
    assert sorted(PUBLIC) == sorted(name for names in modules.values() for name in names)
    for module, names in modules.items():
        source = importlib.import_module(f"rulecompare.{module}")
        for name in names:
            assert getattr(rulecompare, name) is getattr(source, name), name
    assert set(rulecompare.__all__) <= set(dir(rulecompare))
    with pytest.raises(AttributeError, match="no attribute 'nowhere'"):
        rulecompare.nowhere  # type: ignore[attr-defined]  # noqa: B018


def test_type_checking_imports_mirror_the_public_table() -> None:
    tree = ast.parse((ROOT / "rulecompare" / "__init__.py").read_text(encoding="utf-8"))
    block = next(
        node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported = {
        (node.module or ""): tuple(alias.name for alias in node.names)
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }
    assert len(imported) == len(block.body)
    assert imported == rulecompare._PUBLIC


def test_public_names_are_typed_for_type_checkers(tmp_path: Path) -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -e '.[dev]')")
    snippet = tmp_path / "snippet.py"
    lines = [
        "import rulecompare",
        "",
        's: rulecompare.Store = rulecompare.Store(":memory:")',
        "reveal_type(s)",
    ]
    lines += [f"reveal_type(rulecompare.{name})" for name in PUBLIC]
    lines += ["rulecompare.Stoer"]
    snippet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
         "--cache-dir", str(tmp_path / "cache"), str(snippet)],
        capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    errors = [line for line in out.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 1 and 'has no attribute "Stoer"' in errors[0], out.stdout + out.stderr
    revealed = re.findall(r'Revealed type is "(.*)"', out.stdout)
    assert len(revealed) == 1 + len(PUBLIC), out.stdout
    assert revealed[0] == "rulecompare.store.Store"
    for name, shown in zip(PUBLIC, revealed[1:], strict=True):
        assert shown.startswith("def "), (name, shown)  # a signature, not Any (pandas frames are Any here)


def test_package_is_marked_typed() -> None:
    # PEP 561: without the marker, type checkers ignore the installed package's annotations.
    assert (ROOT / "rulecompare" / "py.typed").is_file()


def test_lazy_exports_import_on_first_use_and_bind_every_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package's lazy names: nothing imported before the first lookup, then all of the submodule's names
    bound (a name equal to its submodule's is the function, not the module), and unknown names fail."""
    pkg = tmp_path / "lazypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(
        "from rulecompare.lazy import lazy_exports\n"
        "_LAZY = {'part': ('part', 'other'), '.more': ('third',)}\n"
        "__getattr__ = lazy_exports(__name__, globals(), _LAZY)\n",
        encoding="utf-8",
    )
    (pkg / "part.py").write_text("def part():\n    return 1\n\nother = 2\n", encoding="utf-8")
    (pkg / "more.py").write_text("third = 3\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    lazypkg = importlib.import_module("lazypkg")
    assert "lazypkg.part" not in sys.modules and "lazypkg.more" not in sys.modules
    assert lazypkg.part() == 1  # the function, although importing the submodule set the attribute to it
    assert vars(lazypkg)["other"] == 2 and "lazypkg.more" not in sys.modules
    assert lazypkg.third == 3
    with pytest.raises(AttributeError, match="module 'lazypkg' has no attribute 'missing'"):
        _ = lazypkg.missing
    for name in ("lazypkg", "lazypkg.part", "lazypkg.more"):
        monkeypatch.delitem(sys.modules, name, raising=False)


SESSION_STORES = ("sample_db", "tota_db", "full_db", "tota_records_db", "full_records_db")
"""The store files the whole run shares (tests/conftest.py); other workers write their caches meanwhile."""


def test_no_test_reads_a_shared_store_file_as_plain_bytes() -> None:
    """A shared store is copied with SQLite's backup API (``copy_store``), never as a file.

    Reading it with ``shutil.copy`` or ``read_bytes`` opens and closes the file in a process that
    holds SQLite connections to it; closing any descriptor of a file drops every POSIX lock the
    process holds on it, so another worker can write under a reader's feet, and the copy misses
    what is still in the write-ahead log. One such copy corrupted the run's ToTA store ("database
    disk image is malformed", 83 setup errors) in a CI run."""
    plain = re.compile(
        r"(?:shutil\.copy\w*|(?<![\w.])open)\(\s*(" + "|".join(SESSION_STORES) + r")\b"
        r"|\b(" + "|".join(SESSION_STORES) + r")\.read_bytes\("
    )
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if plain.search(line) and path.name != "test_architecture.py"
    ]
    assert not found, found
