"""`glass-sym audit --json` cold and warm give the same bytes (a file of its own: two whole-paper audits in new
processes, one of them with an empty cache, the longest single test; pytest-xdist schedules it apart from the
other whole-paper tests).  Moved unchanged from tests/test_verdicts.py."""


def test_audit_json_is_byte_identical_cold_and_warm(tmp_path, cache_lock, share_entry):
    """`glass-sym audit --json` with an empty cache, then with the cache it filled: the same bytes (the
    forensics loaded from the cache serialize with the same key order).

    The cold run's whole-paper forensics (HMAC-verified) then go to the session's shared cache, under the
    conftest lock, so the other whole-paper tests do not repeat the search."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "GLASS_SYM_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GLASS_SYM_NO_CACHE", None)
    cmd = [sys.executable, "-m", "glass_sym", "audit", "--json"]
    with cache_lock("forensics"):
        cold = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
        if cold.returncode == 0:
            share_entry(tmp_path / "cache", "forensics")
    warm = subprocess.run(cmd, env=env, capture_output=True, timeout=900)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr[-500:]
    assert cold.stdout == warm.stdout and len(cold.stdout) > 10000
