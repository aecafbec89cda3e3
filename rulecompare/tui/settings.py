"""What the TUI remembers between runs: for now, the folder of the last export.

Kept as a small JSON file in the per-user data folder (``tui.json`` beside the
default database, see :func:`rulecompare.paths.data_dir`).  A missing or
unreadable file means "nothing remembered", never an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..paths import data_dir

SETTINGS_NAME = "tui.json"
EXPORTS_NAME = "exports"


def default_settings_path() -> Path:
    """The settings file unless the app is told otherwise."""
    return data_dir() / SETTINGS_NAME


def default_export_dir() -> Path:
    """Where exports go until the user picks another folder: ``<data dir>/rulecompare/exports``."""
    return data_dir() / EXPORTS_NAME


@dataclass
class Settings:
    """The remembered choices."""

    export_dir: Path | None = None
    """The folder of the last export written."""

    @classmethod
    def load(cls, path: Path) -> Settings:
        """The settings in ``path``; defaults when it is missing or unreadable."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        folder = raw.get("export_dir") if isinstance(raw, dict) else None
        return cls(export_dir=Path(folder) if isinstance(folder, str) and folder else None)

    def save(self, path: Path) -> bool:
        """Write the settings to ``path``; False when that is not possible (they stay in memory)."""
        data = {"export_dir": str(self.export_dir) if self.export_dir else None}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        except OSError:
            return False
        return True
