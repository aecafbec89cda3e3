"""Errors a user can act on: each carries a one-line message naming the file and the problem."""

from __future__ import annotations


class RulecompareError(Exception):
    """Base class: the message is meant to be shown to the user as it is."""


class ParseError(RulecompareError):
    """A source file could not be read into records."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:
        # Parsed in worker processes: the error must survive pickling.
        return (ParseError, (self.path, self.reason))


class StoreError(RulecompareError):
    """The store cannot be opened or written (locked, read-only, newer schema ...)."""


class NotFoundError(RulecompareError):
    """A name or id matches nothing; the message lists close candidates when there are any."""


class AmbiguousNameError(RulecompareError):
    """A name matches several agreements about equally well."""

    def __init__(
        self, query: str, candidates: list[tuple[str, str, float]], total: int | None = None
    ) -> None:
        self.query = query
        self.candidates = candidates
        self.total = max(total or 0, len(candidates))
        """How many agreements the name fits; ``candidates`` may list only the best of them."""
        shown = candidates[:6]
        listing = "; ".join(f"{cid} ({name})" for cid, name, _ in shown)
        if self.total > len(shown):
            more = self.total - len(shown)
            head = (
                f"'{query}' fits {self.total} agreements; the first {len(shown)}: {listing}; and {more} more"
            )
        else:
            head = f"'{query}' is ambiguous; did you mean: {listing}"
        super().__init__(
            f"{head}. Name one more fully (both parties, say) or by its id; `rulecompare list` shows the ids"
        )
