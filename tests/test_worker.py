"""The worker process of cold runs (glass_sym.worker): results come back as JSON, failures fall back to the main
process, effects (log records, cache entries) are replayed there, and a chain built by a worker is the chain built
in-process.  The whole-command routes are compared with serial runs by tests/test_audit_cold_warm.py (cold audit,
GLASS_SYM_JOBS=2, against the stored reference) and tests/test_determinism.py (reproduce, numerics sections from
a worker, against the in-process serial run)."""

from __future__ import annotations

import functools
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
    marker = tmp_path / "computed"

    def compute():
        marker.touch()
        return {"value": [1, 2.5, "x"]}

    tasks = cache.worker_task("test-entry", compute)
    assert [n for n, _ in tasks] == ["test-entry"]
    with worker.beside(tasks):
        deadline = time.time() + 20
        while not marker.exists() and time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the worker has computed (and "stored") it, but only the main process writes the cache
        assert marker.exists() and not (tmp_path / "test-entry.json").exists()
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


@pytest.mark.parametrize("bad", ["0", "-2", "two", "1.5", "+2", "1_000", "\u0662", "1234567890"])
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
        time.sleep(0.03)
        if worker.in_worker() and i % 3 == 0:
            raise RuntimeError("worker only")
        return [i, worker.in_worker()]

    out = worker.split(16, item)
    assert [x[0] for x in out] == list(range(16))
    assert all(not in_w for i, in_w in out if i % 3 == 0)  # what the worker failed came from the main process
    assert any(in_w for i, in_w in out if i % 3)  # and the worker did compute other items


def test_split_normalizes_through_json_in_one_process_too(monkeypatch):
    monkeypatch.setenv(worker.JOBS_ENV, "1")
    assert worker.split(2, lambda i: {"pair": (i, i + 1)}) == [{"pair": [0, 1]}, {"pair": [1, 2]}]


def test_each_task_replays_only_its_own_log_records(jobs2, caplog):
    log = logging.getLogger("glass_sym.test")
    tasks = [(f"t{i}", functools.partial(log.warning, "task %d", i)) for i in range(3)]
    with caplog.at_level(logging.WARNING, logger="glass_sym.test"):
        with worker.beside(tasks):
            for name, _ in tasks:
                worker.take(name)
    assert [r.getMessage() for r in caplog.records if r.name == "glass_sym.test"] == ["task 0", "task 1", "task 2"]


def test_python_warnings_of_a_task_are_replayed(jobs2):
    import warnings

    def task():
        warnings.warn("overflow in the worker", RuntimeWarning)
        return 1

    with pytest.warns(RuntimeWarning, match="overflow in the worker"):
        with worker.beside([("w", task)]):
            assert worker.take("w") == 1


def test_a_cache_problem_is_reported_once(jobs2, tmp_path, monkeypatch, caplog):
    """A tampered entry read by the worker and by the main process: one warning (the worker's goes to the main
    process, which reports a file in one state once); a look ahead with quiet=True reports nothing."""
    from glass_sym.records import cache

    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    assert cache.store("entry", {"a": 1})
    path = tmp_path / "entry.json"
    path.write_text(path.read_text().replace('"a":1', '"a":2'))
    with caplog.at_level(logging.WARNING, logger="glass_sym.records.cache"):
        assert cache.load("entry", quiet=True) is None
        assert "checksum" not in caplog.text
        with worker.beside([("read", lambda: cache.load("entry") is None)]):
            assert worker.take("read") is True
        assert cache.load("entry") is None
    assert caplog.text.count("failed its checksum") == 1
    path.write_text(path.read_text() + " ")  # another state of the file: reported again
    with caplog.at_level(logging.WARNING, logger="glass_sym.records.cache"):
        assert cache.load("entry") is None
    assert caplog.text.count("failed its checksum") == 2


@pytest.mark.parametrize("result", ["'x' * 500000", "time.sleep(60)"])
def test_the_worker_dies_with_the_main_process(tmp_path, result):
    """Killing only the main process (SIGKILL: nothing of it runs) ends its worker too: one in the middle of
    sending a message larger than the pipe's buffer (its write fails: it holds no reading end), and one still
    computing (Linux sends it SIGTERM: PR_SET_PDEATHSIG)."""
    pidfile = tmp_path / "worker.pid"
    code = ("import os, time\nfrom glass_sym import worker\n"
            f"def big():\n    open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n    return {result}\n"
            "with worker.beside([('big', big)]):\n    time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, worker.JOBS_ENV: "2"})
    deadline = time.time() + 30
    while not (pidfile.exists() and pidfile.read_text()) and time.time() < deadline:
        time.sleep(0.05)
    child = int(pidfile.read_text())
    time.sleep(0.3)  # the worker is now writing 500 kB into a 64 kB pipe nobody reads, or sleeping
    p.kill()
    p.wait()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if _zombie(child):
            break
        time.sleep(0.05)
    else:
        os.kill(child, 9)
        raise AssertionError("the worker outlived the main process")


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_worker_output_is_silent_and_buffered_output_is_not_repeated():
    """The worker's own prints go nowhere (its standard streams are /dev/null), and the main process's output,
    also what it had written before the fork, appears once."""
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
    monkeypatch.setattr(worker, "usable_cores", lambda: 2)
    monkeypatch.setattr(worker.sys, "platform", "linux")
    assert worker.jobs() == 2
    monkeypatch.setattr(worker.sys, "platform", "darwin")  # fork is asked for explicitly there
    assert worker.jobs() == 1 and worker.enabled() is False
    monkeypatch.setenv(worker.JOBS_ENV, "2")
    assert worker.jobs() == 2
    monkeypatch.delenv(worker.JOBS_ENV)
    monkeypatch.setattr(worker.sys, "platform", "linux")
    monkeypatch.setattr(worker, "usable_cores", lambda: 1)
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


def test_task_list_is_made_only_when_a_worker_can_start(monkeypatch):
    made = []

    def tasks():
        made.append(1)
        return [("x", lambda: 1)]

    monkeypatch.setenv(worker.JOBS_ENV, "1")
    with worker.beside(tasks) as w:
        assert w is None
    assert made == []
    monkeypatch.setenv(worker.JOBS_ENV, "2")
    with worker.beside(tasks) as w:
        assert w is not None and worker.take("x") == 1
    assert made == [1]
