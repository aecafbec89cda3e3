"""``python -m rulecompare``."""

from .cli import main

main()
