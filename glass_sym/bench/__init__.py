"""Benchmarks behind ``glass-sym bench TARGET``; each module has ``run(args) -> dict``, ``format(result) -> str``
and ``summary(result) -> list of rows`` ({"target", "seconds", "goal_s"[, "met"]}).

``glass-sym bench`` with no target runs them all and prints one table: every row with its figure, its goal
and the ratio to the plain SymPy baseline (:mod:`glass_sym.bench.baseline`, run in the same invocation).  A
new target is one module with these three functions, added to :data:`TARGETS` (``audit`` and ``reproduce``
time the whole commands, :mod:`glass_sym.bench.commands`).
The scripts in ``benchmarks/`` call the same functions.
"""

TARGETS = {
    "baseline": "glass_sym.bench.baseline",
    "derive": "glass_sym.bench.derive",
    "lattice": "glass_sym.bench.lattice",
    "kernels": "glass_sym.bench.kernels",
    "rg": "glass_sym.bench.rg",
    "audit": "glass_sym.bench.audit",
    "reproduce": "glass_sym.bench.reproduce",
}

#: targets whose rows are compared with the SymPy baseline (the baseline is run with them when not requested)
NEEDS_BASELINE = ("derive", "lattice", "kernels", "rg", "audit", "reproduce")
