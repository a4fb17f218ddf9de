"""The glass-sym command: derive (exit codes, JSON contract), errors as one line, python -m, reproduce."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from glass_sym.cli import main as cli
from glass_sym.records import derivation


def _run(*args, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "glass_sym", *args], capture_output=True, text=True, env=e, timeout=600)


def test_derive_appendix_a_console_and_json():
    p = _run("derive", "appendix-a")
    assert p.returncode == 0, p.stderr
    assert "steps verified" in p.stdout and "[FAIL]" not in p.stdout
    j = _run("derive", "appendix-a", "--json")
    assert j.returncode == 0
    records = json.loads(j.stdout)
    assert {"label", "name", "statement", "latex", "verified", "residual"} <= set(records[0])
    f1 = next(r for r in records if r["name"] == "f1")
    assert f1["label"] == "A.17" and f1["verified"] is True and f1["residual"] == "0"
    assert f1["latex"].startswith(r"f^{(1)}_{ijkl} = \frac{1}{8 \pi r^{3}}")


def test_cached_and_uncached_json_identical(tmp_path):
    env = {"GLASS_SYM_CACHE_DIR": str(tmp_path)}
    a = _run("derive", "appendix-a", "--json", env=env)  # builds, fills cache
    b = _run("derive", "appendix-a", "--json", env=env)  # from cache
    c = _run("derive", "appendix-a", "--json", "--no-cache", env=env)
    assert a.stdout == b.stdout == c.stdout


def test_derive_list_and_unknown_name(capsys):
    assert cli.main(["derive", "--list"]) == 0
    assert "appendix-a" in capsys.readouterr().out
    assert cli.main(["derive", "appendix-z"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown derivation 'appendix-z'" in err[0] and "Traceback" not in err[0]


def test_derive_exit_code_on_failed_check(tmp_path, monkeypatch, capsys):
    """A chain whose check fails makes `derive` exit 1 and print the residual."""
    mod = tmp_path / "broken_chain.py"
    mod.write_text(textwrap.dedent('''
        import sympy as sp
        from glass_sym.records.derivation import Derivation
        NAME, TITLE, PROVIDES = "broken", "deliberately wrong", ()
        def build():
            d = Derivation(NAME, TITLE)
            d.step("X.1", "wrong", "1 + 1 = 3", lhs="2", value=sp.Integer(3), how="typo",
                   check=lambda v: sp.Integer(1) + 1 - v, check_text="difference")
            return d
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    from glass_sym import derivations

    monkeypatch.setitem(derivations.CHAINS, "broken", "broken_chain")
    monkeypatch.setenv("GLASS_SYM_NO_CACHE", "1")
    assert cli.main(["derive", "broken"]) == 1
    out = capsys.readouterr().out
    assert "[FAIL]" in out and "residual: -1" in out


def test_no_command_and_version():
    assert _run().returncode == 2
    v = _run("--version")
    assert v.returncode == 0 and "glass-sym" in v.stdout


def test_reproduce_writes_the_report(reproduce_report):
    """The full reproduce run (conftest ``reproduce_report``) exits 0 and writes report.md, report.json (ok, the
    derivations first), the LaTeX document and timings.json.  That a second run gives the same bytes is
    tests/test_determinism.py's test (another process, another hash seed)."""
    out1 = reproduce_report.outdir
    assert reproduce_report.rc == 0
    assert (out1 / "report.md").read_text().startswith("#")
    data = json.loads((out1 / "report.json").read_text())
    assert data["ok"] and data["sections"][0]["key"] == "derivations"
    assert (out1 / "latex" / "glass-sym.tex").exists() and (out1 / "timings.json").exists()


def test_reproduce_unwritable_outdir(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["reproduce", "-o", str(blocker / "sub")]) == 2
    assert "cannot create output directory" in capsys.readouterr().err


def test_debug_shows_traceback():
    p = _run("--debug", "derive", "appendix-z")
    assert p.returncode != 0 and "Traceback" in p.stderr
