"""Answers built on the clause records: obligation strength and the spaghetti bowl.

Each module returns pandas DataFrames so that the CLI, the TUI and a user's
notebook call the same functions.
"""

from __future__ import annotations
