"""glass-sym: symbolic derivation and verification engine for the universal TTLS-phonon coupling ratio.

The package imports lazily: ``import glass_sym`` is cheap (the cached CLI path never loads SymPy); the
public names below load their module on first use.
"""

from __future__ import annotations

import importlib
import os
import sys

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
        from importlib.util import spec_from_file_location

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
    "IndexExpr": "indexnotation", "delta": "indexnotation", "vec": "indexnotation",
    "Tensor": "tensor", "canonical": "tensor", "compare": "tensor", "symmetrize_pairs": "tensor",
    "isotropic_basis": "indexnotation", "decompose": "tensor", "proportionality": "tensor",
    "rotation_covariance": "tensor",
    "fourier_transform": "fourier", "scalar_kernel": "fourier",
    "lambda_q": "elastic", "lambda_x": "interaction", "lambda_tilde": "interaction",
    "compare_parts": "interaction",
    "Step": "derivation", "Derivation": "derivation", "registry": "derivation", "get": "derivation",
    "build": "derivation", "rebuild": "derivation", "Note": "derivation",
    "mutation_test": "mutation",
    "index_latex": "latex", "write_tex": "latex", "compile_pdf": "latex",
    "parse_latex": "parse",
    "audit_all": "audit", "audit_equation": "audit",
    "audit_typed": "typed", "compare_typed": "typed", "evaluate_typed": "typed",
    "numeric_function": "numeric", "to_array": "numeric", "audit_paper": "user_paper",
    "GlassSymError": "errors", "InputError": "errors", "ParseError": "errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'glass_sym' has no attribute {name!r}")
