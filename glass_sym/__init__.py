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
    "isotropic_basis": "tensor", "decompose": "tensor",
    "fourier_transform": "fourier", "scalar_kernel": "fourier",
    "Step": "derivation", "Derivation": "derivation", "registry": "derivation", "get": "derivation",
    "GlassSymError": "errors", "InputError": "errors", "ParseError": "errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str):
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'glass_sym' has no attribute {name!r}")
