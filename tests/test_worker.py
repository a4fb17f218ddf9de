"""The worker process of cold runs (glass_sym.worker): results come back as JSON, failures fall back to the main
process, effects (log records, cache entries) are replayed there, and a chain built by a worker is the chain built
in-process.  The whole-command routes are compared with serial runs by tests/test_audit_cold_warm.py (cold audit,
GLASS_SYM_JOBS=2, against the stored reference) and tests/test_determinism.py (reproduce, numerics sections from
a worker, against the in-process serial run)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

import pytest

from glass_sym import worker
from glass_sym.errors import InputError


@pytest.fixture
def jobs2(monkeypatch):
    monkeypatch.setenv(worker.JOBS_ENV, "2")


def test_results_come_from_the_worker_process(jobs2):
    with worker.beside([("pid", os.getpid), ("square", lambda: [i * i for i in range(4)])]) as w:
        assert w is not None
        assert worker.take("square") == [0, 1, 4, 9]  # out of order: the earlier result is kept for later
        pid = worker.take("pid")
    assert isinstance(pid, int) and pid != os.getpid()


def test_unknown_taken_failed_and_non_json_results_are_missing(jobs2):
    def boom():
        raise ValueError("no")

    with worker.beside([("ok", lambda: 1), ("boom", boom), ("set", lambda: {1, 2}), ("after", lambda: "x")]):
        assert worker.take("other") is worker.MISSING  # not a task of the worker
        assert worker.take("ok") == 1
        assert worker.take("ok") is worker.MISSING  # taken once
        assert worker.take("boom") is worker.MISSING  # the caller computes it (and raises its own error)
        assert worker.take("set") is worker.MISSING  # not JSON: never pickled
        assert worker.take("after") == "x"  # the worker went on after the failures
    assert worker.take("ok") is worker.MISSING  # no worker running


def test_a_dead_worker_gives_missing(jobs2):
    with worker.beside([("die", lambda: os._exit(3)), ("later", lambda: 2)]):
        assert worker.take("later") is worker.MISSING
        assert worker.take("die") is worker.MISSING


def test_logs_and_effects_are_replayed_in_the_main_process(jobs2, caplog):
    seen = []
    worker.on_replay("test-effect", lambda *args: seen.append((os.getpid(), args)))

    def task():
        logging.getLogger("glass_sym.test").warning("from the worker %d", 7)
        assert worker.defer("test-effect", "a", [1, 2])
        return "done"

    assert worker.defer("test-effect", "not in a worker") is False
    with caplog.at_level(logging.WARNING, logger="glass_sym.test"):
        with worker.beside([("t", task)]):
            assert seen == []
            assert worker.take("t") == "done"
    assert seen == [(os.getpid(), ("a", [1, 2]))]
    assert [r.getMessage() for r in caplog.records if r.name == "glass_sym.test"] == ["from the worker 7"]


def test_worker_cache_entries_are_written_by_the_main_process(jobs2, tmp_path, monkeypatch):
    from glass_sym.records import cache

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    tasks = cache.worker_task("test-entry", lambda: {"value": [1, 2.5, "x"]})
    assert [n for n, _ in tasks] == ["test-entry"]
    with worker.beside(tasks):
        time.sleep(0.5)  # the worker has computed it, but only the main process writes the cache
        assert not (tmp_path / "test-entry.json").exists()
        assert cache.load_or_take("test-entry") == {"value": [1, 2.5, "x"]}
    assert cache.load("test-entry") == {"value": [1, 2.5, "x"]}  # stored, HMAC-verified
    assert cache.worker_task("test-entry", lambda: {"value": 0}) == []  # cached: nothing to do beside


def test_no_worker_with_one_job_or_inside_a_worker(monkeypatch):
    monkeypatch.setenv(worker.JOBS_ENV, "1")
    with worker.beside([("x", lambda: 1)]) as w:
        assert w is None and worker.take("x") is worker.MISSING
    assert worker.split(3, lambda i: os.getpid()) == [os.getpid()] * 3
    monkeypatch.setenv(worker.JOBS_ENV, "2")
    with worker.beside([("inner", lambda: [worker.in_worker(), worker.enabled()])]):
        assert worker.take("inner") == [True, False]
    assert worker.in_worker() is False


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1.5"])
def test_malformed_jobs_setting_is_refused(monkeypatch, bad):
    monkeypatch.setenv(worker.JOBS_ENV, bad)
    with pytest.raises(InputError, match="GLASS_SYM_JOBS"):
        worker.jobs()


def test_split_shares_the_items_and_keeps_their_order(jobs2):
    def item(i):
        time.sleep(0.03)
        return {"i": i, "pid": os.getpid(), "pair": (i, -i)}

    out = worker.split(24, item)
    assert [x["i"] for x in out] == list(range(24))
    assert all(x["pair"] == [x["i"], -x["i"]] for x in out)  # JSON-normalized whichever process computed it
    assert len({x["pid"] for x in out}) == 2  # both processes took items


def test_split_recomputes_what_the_worker_failed(jobs2):
    def item(i):
        if worker.in_worker() and i % 2:
            raise RuntimeError("worker only")
        return [i, worker.in_worker()]

    out = worker.split(10, item)
    assert [x[0] for x in out] == list(range(10))
    assert all(not in_w for i, in_w in out if i % 2)  # the odd items came from the main process


def test_worker_output_is_silent_and_buffered_output_is_not_repeated():
    """The worker's own prints go nowhere, and what the main process had buffered before the fork is printed
    once (the main process flushes before forking)."""
    code = ("import os, sys\nfrom glass_sym import worker\nsys.stdout.write('before')\n"
            "with worker.beside([('p', lambda: print('from the worker') or 1)]):\n"
            "    assert worker.take('p') == 1\nprint(' after')\n")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, worker.JOBS_ENV: "2"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "before after\n" and out.stderr == ""


def test_a_chain_built_by_the_worker_is_the_chain_built_in_process():
    """appendix-d (the smallest chain) built in a worker and read by build() in a new process, against the
    payload of a build in this process without workers (``rebuild``); and the worker route was taken (the new
    process never imported the chain's module)."""
    from glass_sym.records import derivation

    code = (
        "import json, sys\nfrom glass_sym.records import derivation as D\nfrom glass_sym import worker\n"
        "tasks = D.chain_tasks(['appendix-d'])\nassert [n for n, _ in tasks] == ['chain:appendix-d']\n"
        "with worker.beside(tasks):\n    d = D.build('appendix-d')\n"
        "assert 'glass_sym.derivations.appendix_d' not in sys.modules\n"
        "print(json.dumps(D._to_payload(d), sort_keys=True))\n")
    env = {**os.environ, "GLASS_SYM_NO_CACHE": "1", worker.JOBS_ENV: "2"}
    par = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    serial = json.loads(json.dumps(derivation._to_payload(derivation.rebuild("appendix-d")), sort_keys=True))
    out, err = par.communicate(timeout=300)
    assert par.returncode == 0, err
    payload = json.loads(out)
    assert payload == serial
    assert payload["ok"] is True and payload["closed_forms"]


def test_nothing_is_unpickled_in_the_main_process(jobs2, monkeypatch):
    """Results travel as JSON bytes (Connection.recv_bytes), never through pickle: with every unpickler of the
    main process disabled, the worker's results and the shared items still arrive."""
    import multiprocessing.reduction
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("unpickling in the main process")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(multiprocessing.reduction.ForkingPickler, "loads", refuse)
    with worker.beside([("pid", os.getpid)]):
        assert worker.take("pid") not in (worker.MISSING, os.getpid())

    def item(i):
        time.sleep(0.03)
        return os.getpid()

    assert len(set(worker.split(12, item))) == 2  # the worker computed some items, and they arrived


def test_default_jobs_two_cores_on_linux_only(monkeypatch):
    monkeypatch.delenv(worker.JOBS_ENV, raising=False)
    monkeypatch.setattr(worker, "_usable_cores", lambda: 2)
    monkeypatch.setattr(worker.sys, "platform", "linux")
    assert worker.jobs() == 2
    monkeypatch.setattr(worker.sys, "platform", "darwin")  # fork is asked for explicitly there
    assert worker.jobs() == 1 and worker.enabled() is False
    monkeypatch.setenv(worker.JOBS_ENV, "2")
    assert worker.jobs() == 2
    monkeypatch.delenv(worker.JOBS_ENV)
    monkeypatch.setattr(worker.sys, "platform", "linux")
    monkeypatch.setattr(worker, "_usable_cores", lambda: 1)
    assert worker.jobs() == 1


def test_a_stopped_worker_leaves_no_temporary_file(jobs2, tmp_path):
    """Leaving the block by an error stops the worker (SIGTERM); it unwinds, so the temporary file of the atomic
    write it was in the middle of is removed, and nothing else is written."""
    from glass_sym.fileio import atomic_target

    def slow_write():
        with atomic_target(tmp_path / "out.txt") as tmp:
            tmp.write_text("partial")
            time.sleep(60)
        return 1

    t0 = time.perf_counter()
    with pytest.raises(RuntimeError, match="stop"):
        with worker.beside([("w", slow_write)]):
            deadline = time.time() + 20
            while not list(tmp_path.glob(".out.txt.*")) and time.time() < deadline:
                time.sleep(0.02)
            assert list(tmp_path.glob(".out.txt.*"))  # the worker is in the middle of the write
            raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == [] and time.perf_counter() - t0 < 30
