"""Benchmarks behind ``glass-sym bench TARGET``; each module has ``run(args) -> dict``, ``format(result) -> str``
and ``summary(result) -> list of rows`` ({"target", "seconds", "goal_s"[, "met"]}).

``glass-sym bench`` with no target runs them all and prints one table: every row with its figure, its goal
and the ratio to the plain SymPy baseline (:mod:`glass_sym.cli.bench.baseline`, run in the same invocation).  A
new target is one module with these three functions, added to :data:`TARGETS` (``audit`` and ``reproduce``
time the whole commands, :mod:`glass_sym.cli.bench.commands`).
The scripts in ``benchmarks/`` call the same functions.
"""

TARGETS = {
    "baseline": "glass_sym.cli.bench.baseline",
    "derive": "glass_sym.cli.bench.derive_command",
    "lattice": "glass_sym.cli.bench.lattice_sum",
    "kernels": "glass_sym.cli.bench.kernel_speed",
    "rg": "glass_sym.cli.bench.rg_grid",
    "audit": "glass_sym.cli.bench.audit_command",
    "reproduce": "glass_sym.cli.bench.reproduce_command",
}

#: targets whose rows are compared with the SymPy baseline (the baseline is run with them when not requested)
NEEDS_BASELINE = ("derive", "lattice", "kernels", "rg", "audit", "reproduce")
