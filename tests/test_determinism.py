"""Determinism: ``glass-sym reproduce`` gives byte-identical report.md and report.json run after run, in one
process and across processes with different ``PYTHONHASHSEED`` (set and dict iteration orders differ); timings
live in timings.json only.  Generated documentation (docs/cli.md) is current.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glass_sym import cli, report

ROOT = Path(__file__).resolve().parent.parent


def _reports(d: Path) -> dict[str, bytes]:
    return {name: (d / name).read_bytes() for name in ("report.md", "report.json")}


def test_reproduce_twice_in_one_process_numeric_sections(tmp_path, monkeypatch, capsys):
    """The numeric sections (KK/RG/Table 1 and the lattice sums: float formatting, dict order) run twice."""
    monkeypatch.setattr(report, "SECTIONS", ["glass_sym.sections.rg", "glass_sym.sections.lattice"])
    monkeypatch.setenv("MPLBACKEND", "Agg")
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli.main(["reproduce", "-o", str(a)]) == 0
    assert cli.main(["reproduce", "-o", str(b)]) == 0
    capsys.readouterr()
    assert _reports(a) == _reports(b)
    for name in ("report.md", "report.json"):  # no timings in the report
        text = (a / name).read_text()
        assert "seconds" not in text and "timings" not in text
    timings = json.loads((a / "timings.json").read_text())
    assert set(timings) == {"rg", "lattice"} and all("seconds" in v for v in timings.values())


def _run_reproduce(outdir: Path, seed: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=seed, MPLBACKEND="Agg")
    env.pop("GLASS_SYM_NO_CACHE", None)  # derivations come from the shared cache (GLASS_SYM_CACHE_DIR)
    return subprocess.Popen([sys.executable, "-m", "glass_sym", "reproduce", "-o", str(outdir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_full_reproduce_identical_under_different_hash_seeds(tmp_path, cache_lock):
    """The full report from two processes with PYTHONHASHSEED=0 and =12345 (derivations and forensics read from
    the shared on-disk cache) is byte-identical.  The first process runs under the conftest lock ``forensics``:
    it fills the forensics entry (unless the suite did already) and the second one reads it."""
    from glass_sym.derivation import build, chains

    for name in chains():  # fills the cache of GLASS_SYM_CACHE_DIR (a no-op if the suite built them already)
        build(name)
    results = {}
    for seed in ("0", "12345"):
        d = tmp_path / f"seed{seed}"
        with cache_lock("forensics") if seed == "0" else contextlib.nullcontext():
            p = _run_reproduce(d, seed)
            out, err = p.communicate(timeout=900)
        assert p.returncode == 0, (seed, out, err)
        results[seed] = _reports(d)
    assert results["0"]["report.md"] == results["12345"]["report.md"]
    assert results["0"]["report.json"] == results["12345"]["report.json"]
    data = json.loads(results["0"]["report.json"])
    keys = [s["key"] for s in data["sections"]]
    assert keys == [m.rsplit(".", 1)[-1] for m in report.SECTIONS] and data["ok"] is True


def _gen_cli_docs():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_reference_is_current():
    """docs/cli.md is what scripts/gen_cli_docs.py generates from the parser (run it after changing options)."""
    gen = _gen_cli_docs()
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == gen.render(), \
        "docs/cli.md is out of date: run python scripts/gen_cli_docs.py"


def test_cli_reference_covers_every_subcommand_and_option():
    """Every subcommand and every long option of the parser appears in the generated page."""
    import argparse

    text = _gen_cli_docs().render()
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        assert f"## glass-sym {name}" in text
        for action in p._actions:
            for opt in action.option_strings:
                assert opt in text, (name, opt)


@pytest.mark.parametrize("seed", ["1", "2"])
def test_cli_reference_independent_of_hash_seed(seed):
    """The generator's output does not depend on the hash seed (a separate process each)."""
    code = ("import importlib.util,sys; s=importlib.util.spec_from_file_location('g', sys.argv[1]); "
            "m=importlib.util.module_from_spec(s); s.loader.exec_module(m); sys.stdout.write(m.render())")
    env = dict(os.environ, PYTHONHASHSEED=seed)
    p = subprocess.run([sys.executable, "-c", code, str(ROOT / "scripts" / "gen_cli_docs.py")],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["tour.md"])
def test_documented_python_sessions_reproduce(page):
    """The ``pycon`` blocks of the documentation print exactly what the engine prints (run as doctests)."""
    import doctest
    import re

    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.S)
    assert blocks
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    test = parser.get_doctest("\n".join(blocks), {}, page, page, 0)  # one session: names carry over
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and result.attempted > 10
