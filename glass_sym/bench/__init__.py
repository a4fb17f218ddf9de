"""Benchmarks behind ``glass-sym bench TARGET``; each module has ``run(args) -> dict`` and ``format(result) -> str``.

The scripts in ``benchmarks/`` call the same functions.
"""

TARGETS = {
    "derive": "glass_sym.bench.derive",
    "rg": "glass_sym.bench.rg",
    "kernels": "glass_sym.bench.kernels",
    "lattice": "glass_sym.bench.lattice",
}
