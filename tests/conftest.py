"""Test configuration: tests never touch the user's cache directory, and expensive results are shared.

One cache directory (``GLASS_SYM_CACHE_DIR``, a new temporary directory, removed at the end) serves the whole
session, the pytest-xdist workers included: a derivation chain or the whole-paper forensics built by one worker is read,
HMAC-verified, by the other.  The directory's HMAC key is created here, in the controller, before any worker
starts, so workers never race on it (two workers writing the same entry at once is harmless: the writes are
atomic and carry the same key).  Tests that need an empty or private cache still point ``GLASS_SYM_CACHE_DIR``
at their own ``tmp_path``; nothing writes into the shared directory except through :mod:`glass_sym.records.cache`.

The cold forensic search is serialized across processes with a file lock (:func:`shared_cache_lock`), so the
search runs once per session.

One in-process ``glass-sym reproduce`` (:func:`reproduce_report`) serves every test that only reads a full report
(the reference comparison, the CLI contract, the determinism test's first run, the referee-report tests that
read the whole-paper audit rows of its audit section).  Its readers' files form one
pytest-xdist work unit (:data:`REPRODUCE_READERS`, :func:`pytest_xdist_make_scheduler`), so it runs once per
session, on one worker.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

#: the session's cache directory, made by the controller (or a serial run) and passed to the pytest-xdist workers
#: in this variable; a user's own GLASS_SYM_CACHE_DIR is never used (nor written) by the tests
_SESSION_ENV = "GLASS_SYM_TEST_SESSION_CACHE"
_own = not os.environ.get(_SESSION_ENV)
_base = os.environ.get(_SESSION_ENV) or tempfile.mkdtemp(prefix="glass-sym-test-cache-")
os.environ[_SESSION_ENV] = _base
os.environ["GLASS_SYM_CACHE_DIR"] = _base
# No worker processes (glass_sym.worker) unless a test asks for them: pytest-xdist already keeps every core busy,
# and the in-process reproduce records what it computes.  The worker route is tested on purpose by
# tests/test_worker.py, the cold audit (tests/test_audit_cold_warm.py) and the other-seed reproduce (below),
# which set GLASS_SYM_JOBS=2 and compare with serial results.
os.environ["GLASS_SYM_JOBS"] = "1"
if not os.environ.get("PYTEST_XDIST_WORKER"):  # the controller (or a serial run): create the HMAC key now
    from glass_sym.records import cache as _cache

    if _cache.enabled():
        _cache.store("pytest-session", {"note": "creates the directory's HMAC key before the workers start"})


def pytest_unconfigure(config):
    """The process that made the session's cache directory removes it at the end (HMAC key included)."""
    if _own and not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(_base, ignore_errors=True)


#: The long test files (measured with --durations, 2026-11-30), run first in this order: with ``--dist loadfile
#: --no-loadscope-reorder`` pytest-xdist hands out the files in collection order, so the long ones start early
#: and the short ones fill the gaps (the workers finish together).  Other files keep their order after these.
HEAVY_FIRST = (
    # the cold audit first: under the lock "forensics" it fills the shared forensics entry ...
    "tests/test_audit_cold_warm.py",
    "tests/test_mutation.py",
    "tests/test_typed_cli.py",  # (its own cache copy)
    "tests/test_audit.py",
    "tests/test_properties.py",
    "tests/test_bad_input.py",
    "tests/test_notation.py",
    "tests/test_kernels.py",
    "tests/test_audit_numeric.py",
    "tests/test_worker.py",
    # ... which these read: late enough that the other worker need not wait for the lock.
    # One work unit (REPRODUCE_READERS): the full reproduce run of reproduce_report, and its readers
    "tests/test_report_reference.py",
    "tests/test_verdicts.py",
    "tests/test_determinism.py",
    "tests/test_cli.py",
)

#: Files whose tests read :func:`reproduce_report`: one pytest-xdist work unit (one worker runs them, in
#: collection order), so the full reproduce runs once per session.
REPRODUCE_READERS = ("tests/test_report_reference.py", "tests/test_verdicts.py", "tests/test_determinism.py",
                     "tests/test_cli.py")


def pytest_collection_modifyitems(items):
    rank = {f: i for i, f in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: order kept


try:
    from xdist.scheduler import LoadFileScheduling
except ImportError:  # pragma: no cover - pytest-xdist is a test dependency
    LoadFileScheduling = None
else:
    class _ReadersTogether(LoadFileScheduling):
        """``--dist loadfile`` with the files of :data:`REPRODUCE_READERS` in one work unit."""

        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "reproduce-readers" if scope in REPRODUCE_READERS else scope

    @pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: no error when xdist is disabled (-p no:xdist)
    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadfile":
            return _ReadersTogether(config, log)
        return None


@contextlib.contextmanager
def shared_cache_lock(name: str):
    """An exclusive lock (``flock``) named ``name`` in the shared cache directory, held for the ``with`` block.

    Wrap the computation that fills a cache entry in it: a second process waits, then finds the entry."""
    path = Path(_base) / f".{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def cache_lock():
    """:func:`shared_cache_lock`, for tests (conftest is not importable under ``--import-mode=importlib``)."""
    return shared_cache_lock


def share_cache_entry(src_dir, name: str) -> bool:
    """Copy the cache entry ``name`` from the cache directory ``src_dir`` into the shared one, unless the shared
    one holds a valid entry already.  The payload is read through :func:`glass_sym.records.cache.load` (source key and
    HMAC verified under ``src_dir``'s key) and written through :func:`glass_sym.records.cache.store` (signed with the
    shared key); True if copied."""
    from glass_sym.records import cache

    shared = os.environ["GLASS_SYM_CACHE_DIR"]
    try:
        if cache.load(name) is not None:
            return False
        os.environ["GLASS_SYM_CACHE_DIR"] = str(src_dir)
        payload = cache.load(name)
    finally:
        os.environ["GLASS_SYM_CACHE_DIR"] = shared
    return payload is not None and cache.store(name, payload)


@pytest.fixture(scope="session")
def share_entry():
    """:func:`share_cache_entry`, for tests."""
    return share_cache_entry


@pytest.fixture(scope="session")
def whole_paper_findings(reproduce_report):
    """``glass_sym.audit.printed.audit_all()`` (both versions, claims and fits): the call of the reproduce run's audit
    section (a copy), computed once per session."""
    assert reproduce_report.findings is not None
    return reproduce_report.findings


@pytest.fixture(scope="session")
def whole_paper_rows(reproduce_report):
    """``audit_rows(audit_all())`` with the forensics: the call of the reproduce run's audit section (a copy);
    the forensic search runs once per session (file lock + the shared cache entry ``forensics``)."""
    assert reproduce_report.rows is not None
    return reproduce_report.rows


@pytest.fixture
def private_cache_copy(tmp_path, monkeypatch):
    """A private copy of the shared cache directory (entries and HMAC key) as ``GLASS_SYM_CACHE_DIR``: for a
    test whose writes (e.g. the forensics of one version only) must not replace the shared entries."""
    dst = tmp_path / "cache-copy"
    shutil.copytree(_base, dst, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    monkeypatch.setenv("GLASS_SYM_CACHE_DIR", str(dst))
    monkeypatch.delenv("GLASS_SYM_NO_CACHE", raising=False)
    return dst


class ReproduceRun:
    """One in-process ``glass-sym reproduce``: ``outdir`` (report.md, report.json, timings.json, latex/),
    ``report`` (report.json parsed), ``rc`` (the exit status), and what the run passed to the audit's exact
    comparisons: ``canonical_inputs`` (srepr -> every non-numeric argument of ``tensor.canonical``) and
    ``component_inputs`` (every IndexExpr whose differing components were counted); ``findings`` and ``rows``:
    deep copies of what the audit section's ``audit_all()`` and ``audit_rows(findings)`` returned."""

    def __init__(self, outdir: Path):
        self.outdir = outdir
        self.canonical_inputs: dict = {}
        self.component_inputs: list = []
        self.rc: int | None = None
        self.report: dict = {}
        self.findings: list | None = None
        self.rows: list | None = None


def _string_hash(seed: str) -> str:
    """hash("glass-sym") in a fresh interpreter with PYTHONHASHSEED=seed."""
    import subprocess
    import sys

    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-c", "print(hash('glass-sym'))"], capture_output=True, text=True,
                          env=env, timeout=60, check=True).stdout


#: the test that reads :func:`other_seed_reproduce`
DETERMINISM_TEST = "tests/test_determinism.py::test_full_reproduce_identical_under_different_hash_seeds"


class OtherSeedRun:
    """``python -m glass_sym reproduce -o outdir`` in a new process whose PYTHONHASHSEED (``seed``) gives other
    string hashes than this process (set and dict iteration orders differ); ``process`` is its Popen."""

    def __init__(self, outdir: Path, seed: str, process):
        self.outdir, self.seed, self.process = outdir, seed, process


@pytest.fixture(scope="session")
def other_seed_reproduce(tmp_path_factory, request):
    """Starts the full reproduce in a second process (:class:`OtherSeedRun`), derivations and forensics read from
    the shared cache (built first, under the lock ``forensics``); it runs while this process runs
    :func:`reproduce_report`, and the determinism test waits for it.  None (nothing started) when the session
    does not collect that test."""
    import subprocess
    import sys

    from glass_sym.records.derivation import build, chains

    if not any(item.nodeid.startswith(DETERMINISM_TEST) for item in request.session.items):
        yield None
        return
    own = str(hash("glass-sym")) + "\n"  # this process's string hashes
    seed = next(s for s in ("0", "12345") if _string_hash(s) != own)
    outdir = tmp_path_factory.mktemp("reproduce-other-seed") / f"seed{seed}"
    # GLASS_SYM_JOBS=2: the numerics sections come from a worker process, the in-process run computes them itself
    env = dict(os.environ, PYTHONHASHSEED=seed, MPLBACKEND="Agg", GLASS_SYM_JOBS="2")
    env.pop("GLASS_SYM_NO_CACHE", None)  # derivations come from the shared cache (GLASS_SYM_CACHE_DIR)
    with shared_cache_lock("forensics"):  # the forensics entry is complete when the lock is free
        for name in chains():  # fills the cache of GLASS_SYM_CACHE_DIR (a no-op if the suite built them already)
            build(name)
    p = subprocess.Popen([sys.executable, "-m", "glass_sym", "reproduce", "-o", str(outdir)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    yield OtherSeedRun(outdir, seed, p)
    if p.poll() is None:  # the determinism test did not run (deselected): do not leave the process behind
        p.kill()
        p.communicate()


@pytest.fixture(scope="session")
def reproduce_report(tmp_path_factory, other_seed_reproduce) -> ReproduceRun:
    """The full ``glass-sym reproduce`` (every section), run once per process in-process, with the arguments of
    ``tensor.canonical`` and ``structures.differing_components`` recorded and the audit section's findings and
    rows kept (recording does not change results; the copies are taken before the report uses them).
    Under the lock ``forensics``: it reads the shared whole-paper forensics entry (or fills it).  The second,
    other-seed process (:func:`other_seed_reproduce`) is started first and runs alongside."""
    import copy
    import json

    import sympy as sp

    from glass_sym.algebra import structures, tensor
    from glass_sym.audit import compare as audit_compare, printed as audit, rows as audit_rows
    from glass_sym.cli import main as cli
    from glass_sym.output.sections import audit as audit_section

    run = ReproduceRun(tmp_path_factory.mktemp("reproduce") / "report")
    real, real_count = tensor.canonical, structures.differing_components
    real_all, real_rows = audit.audit_all, audit_rows.audit_rows

    def keep_findings(*args, **kwargs):
        out = real_all(*args, **kwargs)
        if not args and not kwargs and run.findings is None:  # the whole paper
            run.findings = copy.deepcopy(out)
        return out

    def keep_rows(findings=None, *args, **kwargs):
        out = real_rows(findings, *args, **kwargs)
        if not args and not kwargs and run.rows is None and run.findings is not None:
            run.rows = copy.deepcopy(out)
        return out

    def record(expr):
        e = sp.sympify(expr)  # the engine's own expressions, never user text
        if not e.is_Number:
            run.canonical_inputs.setdefault(sp.srepr(e), e)
        return real(expr)

    def record_count(expr):
        run.component_inputs.append(expr)
        return real_count(expr)

    mp = pytest.MonkeyPatch()
    mp.setenv("MPLBACKEND", "Agg")
    mp.setattr(tensor, "canonical", record)
    mp.setattr(structures, "canonical", record)
    mp.setattr(structures, "differing_components", record_count)
    mp.setattr(audit_compare, "differing_components", record_count)
    mp.setattr(audit, "audit_all", keep_findings)
    mp.setattr(audit_rows, "audit_rows", keep_rows)
    mp.setattr(audit_section, "audit_rows", keep_rows)  # the section binds the name at import
    try:
        with shared_cache_lock("forensics"):
            run.rc = cli.main(["reproduce", "-o", str(run.outdir)])
    finally:
        mp.undo()
    run.report = json.loads((run.outdir / "report.json").read_text(encoding="utf-8"))
    return run
