"""Determinism: ``glass-sym reproduce`` gives byte-identical report.md and report.json run after run, in one
process and across processes with different ``PYTHONHASHSEED`` (set and dict iteration orders differ); timings
live in timings.json only.  Generated documentation (docs/cli.md) is current.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glass_sym.cli import main as cli
from glass_sym.output import report

ROOT = Path(__file__).resolve().parent.parent


def _reports(d: Path) -> dict[str, bytes]:
    return {name: (d / name).read_bytes() for name in ("report.md", "report.json")}


def test_reproduce_twice_in_one_process_numeric_sections(tmp_path, monkeypatch, capsys):
    """The numeric sections (KK/RG/Table 1 and the lattice sums: float formatting, dict order) run twice."""
    monkeypatch.setattr(report, "SECTIONS", ["glass_sym.output.sections.rg", "glass_sym.output.sections.lattice"])
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


def test_full_reproduce_identical_under_different_hash_seeds(reproduce_report, other_seed_reproduce):
    """The full report of this process (conftest ``reproduce_report``, in-process) and of a second process whose
    PYTHONHASHSEED gives other string hashes (conftest ``other_seed_reproduce``: 0 or 12345; set and dict
    iteration orders differ; derivations and forensics read from the shared on-disk cache; its numerics sections
    computed by a worker process, GLASS_SYM_JOBS=2, where this process runs serially) are byte-identical."""
    assert reproduce_report.rc == 0
    p = other_seed_reproduce.process
    out, err = p.communicate(timeout=900)
    assert p.returncode == 0, (other_seed_reproduce.seed, out, err)
    first, second = _reports(reproduce_report.outdir), _reports(other_seed_reproduce.outdir)
    assert first["report.md"] == second["report.md"]
    assert first["report.json"] == second["report.json"]
    data = json.loads(first["report.json"])
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
