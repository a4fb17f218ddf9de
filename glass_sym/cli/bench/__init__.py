"""Benchmarks behind ``glass-sym bench TARGET``; each module has ``run(args) -> dict``, ``format(result) -> str``
and ``summary(result) -> list of rows``.

A row is ``{"target": label, "seconds": wall time or None (no figure: the target is not available here),
"goal_s": goal in seconds or None}``, optionally with ``"met"`` (bool, when the goal is not a time),
``"goal_text"`` (the goal as printed, e.g. ``">= 100x einsum"``) and ``"ratio": False`` (no ratio to the SymPy
baseline: the figure times something else, e.g. the kernels row, judged against its own einsum baseline).

``glass-sym bench`` with no target runs them all and prints one table: every row with its figure, its goal
and the ratio to the plain SymPy baseline (:mod:`glass_sym.cli.bench.baseline`, run in the same invocation).  A
new target is one module with these three functions, added to :data:`TARGETS` (``audit`` and ``reproduce``
time the whole commands, :mod:`glass_sym.cli.bench.commands`; ``tests`` the README test command's pytest run,
:mod:`glass_sym.cli.bench.tests_command`, in a source checkout only).  A timed command that fails ends the
bench with a one-line :class:`~glass_sym.errors.BenchError` (:mod:`glass_sym.cli.bench.process`).
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
    "tests": "glass_sym.cli.bench.tests_command",
}

#: targets whose rows are compared with the SymPy baseline (the baseline is run with them when not requested)
NEEDS_BASELINE = ("derive", "lattice", "rg", "audit", "reproduce")
