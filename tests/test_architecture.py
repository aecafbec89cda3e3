"""The core never imports Textual, and the README's test command is what CI runs."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

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


def test_readme_quick_start_matches_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", quick, flags=re.S)
    assert len(blocks) == 2, "the quick start is exactly two commands"
    assert all("\n" not in b.strip() for b in blocks)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci
