"""glass-sym: symbolic derivation and verification engine for the universal TTLS-phonon coupling ratio.

The package imports lazily: ``import glass_sym`` is cheap (the cached CLI path never loads SymPy); the
public names below load their module on first use.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "IndexExpr": "indexnotation", "delta": "indexnotation", "vec": "indexnotation",
    "Tensor": "tensor", "canonical": "tensor", "compare": "tensor", "symmetrize_pairs": "tensor",
    "isotropic_basis": "tensor", "decompose": "tensor", "proportionality": "tensor",
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
