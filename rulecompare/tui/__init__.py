"""The terminal UI: a Textual front over the rulecompare library.

Only ``rulecompare tui`` imports this package (lazily, inside the command), so
the library and the rest of the CLI never load Textual.  The UI calls the
library through :mod:`rulecompare.tui.data` and holds no analysis of its own.
"""

from __future__ import annotations

from .app import RulecompareApp

__all__ = ["RulecompareApp"]
