"""`glass-sym audit --json` cold and warm give the same bytes, and print exactly the stored reference's audit
rows (a file of its own: two whole-paper audits in new processes, one of them with an empty cache, the longest
single test; pytest-xdist schedules it apart from the other whole-paper tests).  The cold/warm test was moved
unchanged from tests/test_verdicts.py; the reference test from tests/test_report_reference.py (it reads the same
command's output instead of running it a third time)."""

import importlib.util
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cold_and_warm(tmp_path_factory, cache_lock, share_entry):
    """`glass-sym audit --json` with an empty cache, then with the cache it filled (two new processes).
    The cold run's cache entries (HMAC-verified; the whole-paper forensics among them) then go to the session's
    shared cache, under the conftest lock, so the other whole-paper tests do not repeat the search or the chains."""
    import os
    import subprocess
    import sys

    tmp_path = tmp_path_factory.mktemp("cold-warm")
    # GLASS_SYM_JOBS=2: the cold run takes chains, mpmath values, averages and half the forensic searches from
    # worker processes (glass_sym.worker); its output is compared with the warm run and the serial reference
    env = {**os.environ, "GLASS_SYM_CACHE_DIR": str(tmp_path / "cache"), "GLASS_SYM_JOBS": "2"}
    env.pop("GLASS_SYM_NO_CACHE", None)
    cmd = [sys.executable, "-m", "glass_sym", "audit", "--json"]
    with cache_lock("forensics"):
        cold = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
        if cold.returncode == 0:  # every entry the cold run made (chains, forensics, parsed texts, mpmath values,
            # averages, display texts, engine forms) serves the rest of the session: verified, then re-signed
            for entry in sorted((tmp_path / "cache").glob("*.json")):
                share_entry(tmp_path / "cache", entry.stem)
    warm = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
    return cold, warm


def test_audit_json_is_byte_identical_cold_and_warm(cold_and_warm):
    """`glass-sym audit --json` with an empty cache, then with the cache it filled: the same bytes (the
    forensics loaded from the cache serialize with the same key order)."""
    cold, warm = cold_and_warm
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr[-500:]
    assert cold.stdout == warm.stdout and len(cold.stdout) > 10000


def _module(name: str, path: pathlib.Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_audit_json_prints_the_reference_rows(cold_and_warm):
    """The warm run's output (the same bytes as the cold run's, test above) is the audit section of the stored
    reference report (tests/data/report_reference.json; tests/test_report_reference.py), row by row."""
    _first_difference = _module("report_reference_tests", ROOT / "tests" / "test_report_reference.py")._first_difference
    script = _module("update_report_reference", ROOT / "scripts" / "update_report_reference.py")
    _, warm = cold_and_warm
    assert warm.returncode == 0, warm.stderr[-500:]
    reference = json.loads(script.REFERENCE.read_text(encoding="utf-8"))
    printed = json.loads(warm.stdout)
    ref = next(s for s in reference["sections"] if s["key"] == "audit")["data"]
    now = json.loads(script.dumps(printed))
    assert now["schema_version"] == ref["schema_version"]
    assert [r["id"] for r in now["rows"]] == [r["id"] for r in ref["rows"]]
    assert _first_difference(now, ref, "audit") is None, _first_difference(now, ref, "audit")
