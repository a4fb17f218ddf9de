"""glass-sym: symbolic derivation and verification engine for the universal TTLS-phonon coupling ratio.

The package imports lazily: ``import glass_sym`` is cheap (the cached CLI path never loads SymPy); the
public names below load their module on first use.
"""

from __future__ import annotations

import importlib
import os
import sys
from importlib.util import spec_from_file_location

__version__ = "0.1.0"


class _CheckoutChains:
    """Finds ``glass_sym.derivations`` in a source checkout, where the chains are the top-level ``derivations/``.

    Installed, setuptools puts that folder at ``glass_sym/derivations`` (pyproject ``package-dir``) and the
    ordinary path finder finds it; nothing is importable as a top-level ``derivations``.  Running from a
    checkout (``python -m pytest``, ``python -m glass_sym``) the same name maps onto ``../derivations``.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def find_spec(self, fullname, path=None, target=None):
        if fullname != f"{__name__}.derivations":
            return None

        return spec_from_file_location(fullname, os.path.join(self.folder, "__init__.py"),
                                       submodule_search_locations=[self.folder])


def _register_checkout_chains() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.path.join(os.path.dirname(here), "derivations")
    if not os.path.isdir(os.path.join(here, "derivations")) and os.path.isfile(os.path.join(folder, "__init__.py")):
        if not any(isinstance(f, _CheckoutChains) for f in sys.meta_path):
            sys.meta_path.append(_CheckoutChains(folder))


_register_checkout_chains()

_EXPORTS = {
    "IndexExpr": "algebra.indexnotation", "delta": "algebra.indexnotation", "vec": "algebra.indexnotation",
    "Tensor": "algebra.tensor", "canonical": "algebra.tensor", "compare": "algebra.tensor", "symmetrize_pairs": "algebra.tensor",
    "isotropic_basis": "algebra.indexnotation", "decompose": "algebra.tensor", "proportionality": "algebra.tensor",
    "rotation_covariance": "algebra.tensor",
    "fourier_transform": "algebra.fourier", "scalar_kernel": "algebra.fourier",
    "lambda_q": "physics.elastic", "lambda_x": "physics.interaction", "lambda_tilde": "physics.interaction",
    "compare_parts": "physics.interaction",
    "Step": "records.derivation", "Derivation": "records.derivation", "registry": "records.derivation", "get": "records.derivation",
    "build": "records.derivation", "rebuild": "records.derivation", "Note": "records.derivation",
    "mutation_test": "records.mutation",
    "index_latex": "output.latex", "write_tex": "output.latex", "compile_pdf": "output.latex",
    "parse_latex": "parse.parser",
    "audit_all": "audit.printed", "audit_equation": "audit.printed",
    "audit_typed": "audit.typed", "compare_typed": "audit.typed", "evaluate_typed": "audit.typed",
    "numeric_function": "numerics.functions", "to_array": "numerics.functions", "audit_paper": "audit.user_paper",
    "GlassSymError": "errors", "InputError": "errors", "ParseError": "errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'glass_sym' has no attribute {name!r}")
