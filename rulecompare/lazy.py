"""Names a package exports but imports on first use (PEP 562 module ``__getattr__``).

A command's start-up then imports only the modules it uses: ``import
rulecompare.metrics.bri`` costs nothing until ``run_compat`` is looked up.
Each package keeps one table, submodule -> the names it provides, mirrored by
a ``TYPE_CHECKING`` block so that type checkers see the real names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], modules: Mapping[str, tuple[str, ...]]
) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package`` for the names of ``modules`` (submodule, relative -> names).

    The first lookup of a name imports its submodule and binds every name that
    submodule provides in ``namespace`` (the package's ``globals()``), so later
    lookups are plain attribute reads. Binding them all matters where a name
    equals its submodule's (``bowl.sensitivity``): importing the submodule sets
    the package attribute to the module, which the name must then replace.
    """
    owner = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = owner.get(name)
        if module is None:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        loaded = importlib.import_module(module if module.startswith(".") else f".{module}", package)
        namespace.update({n: getattr(loaded, n) for n in modules[module]})
        return namespace[name]

    return __getattr__
