"""Environmental and labour provisions, coded from the texts and checked against hand-coded datasets.

TREND (Morin, Dür and Lechner 2018) codes about 295 environmental provisions
of trade agreements by hand, LABPTA (Raess, Dür and Sari 2018) the depth of
their labour provisions; both stop at the agreements their authors read.
This package codes any agreement in the store the same way, from its clause
records, and names the clauses behind every code, so that a reader can check
it (docs/METHODS.md, section 4).

- :mod:`.tokens`: clause features and the candidate articles;
- :mod:`.trend`: the hand-coded references (training part);
- :mod:`.linear`, :mod:`.train`, :mod:`.build`: fitting and validation;
- :mod:`.model`: the trained scorers (``model.json.gz``) and coding one agreement;
- :mod:`.subjects`: what each provision is about, which a clause must mention to be its evidence;
- :mod:`.coding`: coding the store's agreements, the tables;
- :mod:`.depth`: depth by family over time, with intervals.

The model and its dependencies (SciPy, pandas) load on first use of a name,
so that the command line can show the default families without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...lazy import lazy_exports
from .families import FAMILIES

if TYPE_CHECKING:
    from .coding import NO_EVIDENCE, Coding, code_provisions, codes_frame, evidence_frame, weights_of
    from .depth import depth_by_family
    from .model import MODEL_FILE, AgreementCoding, ProvisionModel, load_model
    from .trend import Provision, load_labpta, load_trend

_LAZY: dict[str, tuple[str, ...]] = {
    "coding": ("NO_EVIDENCE", "Coding", "code_provisions", "codes_frame", "evidence_frame", "weights_of"),
    "depth": ("depth_by_family",),
    "model": ("MODEL_FILE", "AgreementCoding", "ProvisionModel", "load_model"),
    "trend": ("Provision", "load_labpta", "load_trend"),
}

if not TYPE_CHECKING:
    __getattr__ = lazy_exports(__name__, globals(), _LAZY)


__all__ = [
    "FAMILIES",
    "MODEL_FILE",
    "NO_EVIDENCE",
    "AgreementCoding",
    "Coding",
    "Provision",
    "ProvisionModel",
    "code_provisions",
    "codes_frame",
    "depth_by_family",
    "evidence_frame",
    "load_labpta",
    "load_model",
    "load_trend",
    "weights_of",
]
