"""Every shared symbol is defined once (glass_sym/symbols.py) and every module agrees on its assumptions.

SymPy treats ``Symbol("theta", positive=True)`` and ``Symbol("theta", real=True)`` as two different symbols,
so an expression built from one does not cancel against the other.  These tests scan the package.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import types
from pathlib import Path

import pytest
import sympy as sp

import glass_sym
from glass_sym import symbols as S

PKG = Path(glass_sym.__file__).parent
#: the naive benchmark baseline imports nothing from glass_sym on purpose (its time is plain SymPy's)
INDEPENDENT = {PKG / "cli" / "bench" / "baseline_sympy.py"}


def _symbols_in(value, depth: int = 0):
    """Symbols held by a module-level value (a Symbol, or a tuple/list/dict of them, two levels deep)."""
    if isinstance(value, sp.Dummy):
        return
    if isinstance(value, sp.Symbol):
        yield value
    elif depth < 2 and isinstance(value, (tuple, list, frozenset, set)):
        for v in value:
            yield from _symbols_in(v, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for v in value.values():
            yield from _symbols_in(v, depth + 1)


def assumption_conflicts(modules) -> dict[str, set]:
    """name -> the distinct assumption sets of the module-level Symbols called ``name`` (only conflicts)."""
    seen: dict[str, dict[frozenset, str]] = {}
    for mod in modules:
        for attr, value in vars(mod).items():
            for s in _symbols_in(value):
                seen.setdefault(s.name, {}).setdefault(frozenset(s.assumptions0.items()), f"{mod.__name__}.{attr}")
    return {name: set(v.values()) for name, v in seen.items() if len(v) > 1}


def _all_modules():
    mods = []
    for info in pkgutil.walk_packages(glass_sym.__path__, "glass_sym."):
        if info.name.endswith("__main__"):
            continue
        mods.append(importlib.import_module(info.name))
    import glass_sym.derivations as chains  # the appendix chains: not on glass_sym.__path__ in a checkout

    for info in pkgutil.iter_modules(chains.__path__, "glass_sym.derivations."):
        mods.append(importlib.import_module(info.name))
    return mods


def test_no_two_modules_define_a_symbol_with_different_assumptions():
    conflicts = assumption_conflicts(_all_modules())
    assert conflicts == {}, f"same-named symbols with different assumptions: {conflicts}"


def test_the_scan_detects_a_conflict():
    """The scan above can fail: theta positive in one module and real in another (the issue-15 case)."""
    a, b = types.ModuleType("a"), types.ModuleType("b")
    a.theta = sp.Symbol("theta", positive=True)
    b.table = {"theta": sp.Symbol("theta", real=True)}
    assert set(assumption_conflicts([a, b])) == {"theta"}
    b.table = {"theta": sp.Symbol("theta", positive=True)}
    assert assumption_conflicts([a, b]) == {}


def _shared_names() -> set[str]:
    names = set()
    for attr in S.__all__:
        names |= {s.name for s in _symbols_in(getattr(S, attr))}
    return names


def _created_names(source: str):
    """(line, name) of every Symbol created from a literal name in ``source``: Symbol(...) / symbols(...) /
    var(...) / Dummy-free constructors also under an alias (``from sympy import Symbol as S``), and names taken
    from ``sympy.abc``."""
    tree = ast.parse(source)
    makers = {"Symbol", "symbols", "var"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "sympy":
            makers |= {a.asname for a in node.names if a.name in ("Symbol", "symbols", "var") and a.asname}
        if isinstance(node, ast.ImportFrom) and node.module == "sympy.abc":
            for a in node.names:
                yield node.lineno, a.name
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            continue
        fn = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if fn not in makers:
            continue
        created = sp.symbols(node.args[0].value)  # our own source text, not user input
        for s in (created if isinstance(created, tuple) else (created,)):
            yield node.lineno, s.name


def test_shared_symbols_are_created_only_in_symbols_py():
    shared = _shared_names()
    assert {"theta", "chi_l", "Delta_x", "omega", "Omega", "alpha", "n1"} <= shared
    offenders = []
    chains = PKG.parent / "derivations"  # the appendix chains (installed as glass_sym.derivations)
    for path in sorted(PKG.rglob("*.py")) + sorted(chains.glob("*.py")):
        if path == PKG / "symbols.py" or path in INDEPENDENT:
            continue
        for line, name in _created_names(path.read_text(encoding="utf-8")):
            if name in shared:
                offenders.append(f"{path.relative_to(PKG.parent)}:{line} creates {name!r}")
    assert offenders == [], "shared symbols re-created outside glass_sym/symbols.py:\n" + "\n".join(offenders)


def test_the_source_scan_detects_a_re_created_symbol():
    src = 'import sympy as sp\nDX = sp.Symbol("Delta_x", positive=True)\na, th = sp.symbols("a theta")\n'
    assert [n for _, n in _created_names(src) if n in _shared_names()] == ["Delta_x", "theta"]
    src = 'from sympy.abc import beta\nfrom sympy import Symbol as Sy\nw = Sy("omega")\n'
    assert sorted(n for _, n in _created_names(src) if n in _shared_names()) == ["beta", "omega"]


@pytest.mark.parametrize("name, shared", [
    ("theta", S.theta), ("phi", S.phi), ("omega", S.omega), ("Omega", S.Omega), ("beta", S.beta),
    ("hbar", S.hbar), ("T", S.T), ("k_B", S.k_B), ("Delta_x", S.DELTA_X), ("alpha", S.alpha),
])
def test_parser_symbol_table_uses_the_shared_objects(name, shared):
    from glass_sym.parse.parser import SYMBOL_TABLE

    assert SYMBOL_TABLE[name] is shared


def test_parsed_theta_cancels_against_the_shared_theta():
    """A typed \\theta and the engine's theta are one symbol: their difference is exactly 0."""
    from glass_sym.parse.parser import parse_latex

    assert sp.expand(parse_latex(r"\cos\theta + \omega") - sp.cos(S.theta) - S.omega) == 0


def test_modules_re_export_the_shared_objects():
    from glass_sym.physics import absorption, displacement, jterms

    assert absorption.chi_l is S.chi_l and absorption.chi_t is S.chi_t
    assert absorption.omega is S.omega and absorption.Omega is S.Omega
    assert displacement.DELTA_X is S.DELTA_X and jterms.BETA is S.beta
