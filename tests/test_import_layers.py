"""The import contract: glass_sym's layers import only downwards, and no two modules import each other.

The layers are pyproject's [tool.importlinter] contract (highest first): cli | testing > output > audit >
numerics > derivations > paper > parse > physics > records > algebra > fileio | suggest > symbols | errors.
Function-level imports count.  The check runs on the installed layout (the top-level derivations/ folder is
installed as glass_sym.derivations), built in a temporary directory from this checkout, so it also runs from
a checkout where glass_sym.derivations is not on disk.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp  # noqa: F401  (import-linter and grimp are in the test extra: missing is an error, not a skip)
import importlinter  # noqa: F401
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: import cycles still to break (each a TODO of issue 15); a cycle not listed here fails the test
KNOWN_CYCLES: list[set[str]] = [
]

_CYCLES = r"""
import json, sys, grimp
g = grimp.build_graph("glass_sym")
mods = sorted(g.modules)
edges = {m: sorted(g.find_modules_directly_imported_by(m)) for m in mods}
index, low, stack, on, out, n = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            out.append(sorted(comp))
for m in mods:
    if m not in index:
        visit(m)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """glass_sym with derivations/ inside it, as `pip install .` lays it out, plus pyproject (the contract)."""
    tmp = tmp_path_factory.mktemp("layout")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "glass_sym", tmp / "glass_sym", ignore=ignore)
    if not (tmp / "glass_sym" / "derivations").exists():
        shutil.copytree(ROOT / "derivations", tmp / "glass_sym" / "derivations", ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def _run(installed, *args):
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run([sys.executable, *args], cwd=installed, capture_output=True, text=True, env=env,
                          timeout=300)


def test_layers_contract(installed):
    r = _run(installed, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                              "sys.exit(lint_imports_command())")
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]


def test_no_import_cycles(installed):
    r = _run(installed, "-c", _CYCLES)
    assert r.returncode == 0, r.stderr[-2000:]
    cycles = [set(c) for c in json.loads(r.stdout)]
    new = [sorted(c) for c in cycles if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, f"import cycles (module-level or inside functions): {new}"


@pytest.fixture()
def planted(tmp_path, installed):
    """A copy of the installed layout in which tensor.py imports the audit inside a function (upward, and a
    cycle: the audit imports the algebra)."""
    shutil.copytree(installed, tmp_path / "copy")
    tensor = tmp_path / "copy" / "glass_sym" / "algebra" / "tensor.py"
    tensor.write_text(tensor.read_text(encoding="utf-8") + "\n\ndef _planted():\n"
                      "    from glass_sym.audit import compare  # noqa: F401\n", encoding="utf-8")
    return tmp_path / "copy"


def test_contract_and_cycle_check_reject_a_planted_import(planted):
    """The mutation test of the two checks above: one function-level upward import breaks both."""
    r = _run(planted, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                            "sys.exit(lint_imports_command())")
    assert r.returncode != 0 and "glass_sym.algebra is not allowed to import glass_sym.audit" in r.stdout
    r = _run(planted, "-c", _CYCLES)
    cycles = [set(c) for c in json.loads(r.stdout)]
    assert any({"glass_sym.algebra.tensor", "glass_sym.audit.compare"} <= c for c in cycles)


def test_cli_start_up_does_not_load_sympy():
    """Lazy imports buy start-up time: `glass-sym --help` and the numerics entry points (lattice, rg, kk) load no
    SymPy (the closed forms come from the verified cache or are built when a command runs)."""
    code = ("import sys, contextlib, io\n"
            "from glass_sym.cli.main import main\n"
            "import glass_sym.numerics.lattice, glass_sym.numerics.rg, glass_sym.numerics.kk\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in sys.modules if m == 'sympy' or m.startswith('sympy.'))[:3])\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "[]", r.stdout


#: the only places that load modules by name at run time (import-linter cannot see these): file -> (number of
#: occurrences of the loading names in its text, why)
STRING_IMPORTS = {
    "glass_sym/__init__.py": (3, "lazy re-exports of the package's own public names; the checkout finder that maps "
                                 "glass_sym.derivations onto the derivations/ folder"),
    "glass_sym/cli/main.py": (1, "the subcommand modules, loaded when their subcommand runs"),
    "glass_sym/cli/commands/bench.py": (1, "the benchmark targets, loaded when run"),
    "glass_sym/cli/commands/reproduce.py": (1, "the report sections (glass_sym.output.sections), loaded in order"),
    "glass_sym/records/derivation.py": (3, "the appendix chains, found through the table of the package named by "
                                           "CHAINS_PACKAGE (data, like an entry point), never imported statically"),
}
#: any of these names in a file's text counts (calls, aliases, getattr strings, importlib.util loaders)
_LOADERS = ("import_module", "__import__", "spec_from_file_location", "exec_module", "SourceFileLoader",
            "run_module", "run_path", "load_module")


def _string_imports(source: str) -> int:
    """How often the names of run-time module loaders occur in ``source`` (code and strings alike)."""
    return sum(source.count(name) for name in _LOADERS)


def test_run_time_imports_by_name_only_where_listed():
    """Loading by name escapes the layer contract: every occurrence is counted, per file, in glass_sym/ and the
    chains; a new one (another call in a listed file, an alias, a getattr string) changes a count and fails."""
    found = {}
    for path in sorted((ROOT / "glass_sym").rglob("*.py")) + sorted((ROOT / "derivations").glob("*.py")):
        n = _string_imports(path.read_text(encoding="utf-8"))
        if n:
            found[path.relative_to(ROOT).as_posix()] = n
    assert found == {k: n for k, (n, _) in STRING_IMPORTS.items()}
    assert _string_imports("from importlib import import_module as load\nload('glass_sym.audit')\n") == 1
    assert _string_imports("getattr(importlib, 'import_module')('glass_sym.audit')\n") == 1
    assert _string_imports("m = __import__('glass_sym.output.latex')\n") == 1
