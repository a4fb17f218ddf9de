"""Work beside the main process: one forked worker runs named tasks while the command goes on.

A cold run has independent parts (the derivation chains of appendices C and D, the numerics sections of the
report) that a second core can compute while the main process does the rest.  :func:`beside` forks one worker
process (Linux/macOS ``fork``; the worker starts from the parent's memory, so it needs no re-import and no
arguments sent) that runs the tasks in order and sends each result back as **JSON text** over a pipe: nothing is
pickled or evaluated.  The main process takes a result with :func:`take` when it needs it; a task that failed in
the worker, or a worker that died, gives :data:`MISSING`, and the caller computes the value itself (so an error
is raised where it would be without the worker, with its own message).

What a task does besides returning its value is replayed in the main process when the result is taken:

* log records (the worker's own ``logging`` output is captured, never printed);
* deferred effects registered with :func:`on_replay` (the on-disk cache registers ``"cache"``: a worker never
  writes the cache, the main process stores the entries it would have written).

The worker's standard output and error go to ``os.devnull``; Python warnings and log records it raises are
replayed in the main process.  A worker dies with the main process (Linux: ``PR_SET_PDEATHSIG``) and, stopped,
unwinds (temporary files of atomic writes are removed).

``GLASS_SYM_JOBS`` (ASCII digits, >= 1) switches the workers: ``1`` runs everything in the main process; ``2``
(the default on Linux with at least two usable cores; larger values behave as 2) lets a command fork the task
worker of :func:`beside` and, during :func:`split`, one more process.  Elsewhere the default is 1 (macOS
frameworks may not survive a ``fork``; ``GLASS_SYM_JOBS=2`` asks for it anyway); platforms without ``fork`` and
code already running inside a worker always run in one process.  Results are identical either way (the worker
runs the same code on the same data; ``tests/test_worker.py`` and the cold/warm audit and determinism tests
compare).
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import json
import logging
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .errors import InputError

__all__ = ["JOBS_ENV", "MISSING", "jobs", "usable_cores", "enabled", "in_worker", "beside", "take", "split", "defer",
           "on_replay", "Worker"]

JOBS_ENV = "GLASS_SYM_JOBS"


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: what :func:`take` returns when the worker has no result for a task (not asked, failed, or worker gone)
MISSING: Any = _Missing()

_state: dict = {"in_worker": False, "active": [], "outbox": None}
_replay: dict[str, Callable[..., Any]] = {}


def usable_cores() -> int:
    """Cores this process may run on (``sched_getaffinity``; ``os.cpu_count()`` where that is unavailable)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs() -> int:
    """``GLASS_SYM_JOBS`` if set (1 = one process; >= 2 = worker processes allowed), else 2 on Linux with >= 2
    usable cores, else 1.

    Raises
    ------
    InputError
        ``GLASS_SYM_JOBS`` is not a whole number >= 1.
    """
    raw = os.environ.get(JOBS_ENV, "").strip()
    if not raw:  # fork is safe by default on Linux only (macOS frameworks may not survive a fork)
        return 2 if sys.platform.startswith("linux") and usable_cores() >= 2 else 1
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
        raise InputError(f"{JOBS_ENV} must be a whole number >= 1 written in digits 0-9 (1 = no worker process), "
                         f"not {raw[:40]!r}")
    return int(raw)


def in_worker() -> bool:
    """True inside a worker process started by :func:`beside`."""
    return _state["in_worker"]


def enabled() -> bool:
    """Whether :func:`beside` starts a worker: more than one job, ``fork`` available, not inside a worker."""
    if _state["in_worker"] or jobs() < 2:
        return False
    import multiprocessing  # lazy: start-up time (loaded only when a worker may start)

    return "fork" in multiprocessing.get_all_start_methods()


def on_replay(kind: str, handler: Callable[..., Any]) -> None:
    """Register ``handler(*args)``, run in the main process for each ``defer(kind, *args)`` a task made."""
    _replay[kind] = handler


def defer(kind: str, *args: Any) -> bool:
    """Inside a worker: record an effect (JSON arguments) for the main process to replay; returns True.
    Outside a worker: returns False (the caller does the effect itself)."""
    box = _state["outbox"]
    if box is None:
        return False
    box.append([kind, list(args)])
    return True


class _Capture(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


def _die_with_parent(parent: int) -> None:
    """Ask Linux to send SIGTERM to this worker when the main process dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # lazy: start-up time (loaded only in a worker)

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the main process died before the request took effect
        raise SystemExit(1)


def _enter_worker(parent: int, own_reader=None) -> list:
    """In a freshly forked worker: mark it, close the pipe ends it inherited for reading (so a write to a main
    process that died fails instead of blocking), die with the main process, silence its standard streams,
    capture its log records (returned)."""
    for w in _state["active"]:
        w._conn.close()
    if own_reader is not None:
        own_reader.close()
    _state["in_worker"] = True
    _state["active"] = []
    # stopped by the main process (SIGTERM) or Ctrl-C: unwind, so temporary files of atomic writes are removed
    signal.signal(signal.SIGTERM, _stop)
    _die_with_parent(parent)
    devnull = open(os.devnull, "w")
    sys.stdout = sys.stderr = devnull
    logs: list = []
    capture = _Capture(logs)
    for logger in (logging.getLogger(), logging.getLogger("glass_sym")):
        logger.handlers = [capture]
    logging.getLogger("glass_sym").propagate = False
    return logs


def _stop(signum, frame) -> None:
    raise SystemExit(1)


def _run(name: Any, task: Callable[[], Any], logs: list) -> bytes:
    """Run one task in the worker: ``{"name", "ok", "value" | "error", "logs", "effects"}`` as JSON bytes."""
    logs.clear()
    _state["outbox"] = effects = []
    with warnings.catch_warnings(record=True) as caught:
        try:
            msg = {"name": name, "ok": True, "value": task()}
        except Exception as exc:  # the main process recomputes; its own run raises the error (SystemExit and
            # KeyboardInterrupt end the worker)
            msg = {"name": name, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    msg["logs"], msg["effects"] = list(logs), effects
    msg["warnings"] = [[w.category.__name__, str(w.message), str(w.filename), int(w.lineno)] for w in caught]
    try:
        return json.dumps(msg, allow_nan=True).encode()
    except (TypeError, ValueError) as exc:
        return json.dumps({"name": name, "ok": False, "error": f"result is not JSON: {exc}"}).encode()


def _serve(tasks: Sequence[tuple[str, Callable[[], Any]]], conn, reader, parent: int) -> None:
    """The worker's body for :class:`Worker`: run each task in order, sending each result."""
    logs = _enter_worker(parent, reader)
    for name, task in tasks:
        conn.send_bytes(_run(name, task, logs))
    conn.close()


def _replayed(msg: dict) -> Any:
    """A worker's result in the main process: its logs and effects replayed here, its value; :data:`MISSING`
    for a failed task (the caller computes it and logs what its own run logs)."""
    if not msg.get("ok"):
        return MISSING
    for category, text, filename, lineno in msg.get("warnings", []):
        cls = getattr(builtins, str(category), None)
        if not (isinstance(cls, type) and issubclass(cls, Warning)):
            cls, text = UserWarning, f"{category}: {text}"
        warnings.warn_explicit(str(text), cls, str(filename), int(lineno))
    for logger, level, text in msg.get("logs", []):
        logging.getLogger(str(logger)).log(int(level), "%s", text)
    for kind, args in msg.get("effects", []):
        handler = _replay.get(kind)
        if handler is not None:
            handler(*args)
    return msg.get("value")


def _receive(conn, proc) -> dict | None:
    """The next message from worker ``proc``, or None when it is gone (pipe closed, process ended without
    sending, unreadable message)."""
    try:
        while not conn.poll(0.2):
            if not proc.is_alive() and not conn.poll(0):
                return None
        msg = json.loads(conn.recv_bytes().decode())
    except (EOFError, OSError, ValueError):
        return None
    return msg if isinstance(msg, dict) else None


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, allow_nan=True))


def _stop_process(proc) -> None:
    """End a worker: SIGTERM (it unwinds, removing temporary files), SIGKILL if it has not ended in 5 s."""
    if proc.is_alive():
        proc.terminate()
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()


def split(n: int, compute: Callable[[int], Any]) -> list[Any]:
    """``[compute(0), ..., compute(n - 1)]``, shared with a forked worker when :func:`enabled`.

    Both processes take the next index from a counter in shared memory, so a few long items do not leave one
    core idle.  ``compute`` must return JSON-able values; every result (also those computed here, and on the
    serial path) is normalized through JSON, so the list is the same whichever process computed an item.  An
    item the worker failed or did not finish is computed here.  The worker's log records and effects (cache
    entries) are replayed here.
    """
    if not enabled() or n < 2:
        return [_as_json(compute(i)) for i in range(n)]
    import multiprocessing  # lazy: start-up time (loaded only when a worker starts)

    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    recv, send = ctx.Pipe(duplex=False)

    def next_index() -> int:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        return i

    parent = os.getpid()

    def serve() -> None:
        logs = _enter_worker(parent, recv)
        while (i := next_index()) < n:
            send.send_bytes(_run(i, functools.partial(compute, i), logs))
        send.close()

    sys.stdout.flush()
    sys.stderr.flush()
    proc = ctx.Process(target=serve, daemon=True)
    proc.start()
    send.close()
    out: dict[int, Any] = {}
    try:
        while (i := next_index()) < n:
            out[i] = _as_json(compute(i))
        while (msg := _receive(recv, proc)) is not None:
            i = msg.get("name")
            if isinstance(i, int) and 0 <= i < n and i not in out:
                value = _replayed(msg)
                if value is not MISSING:
                    out[i] = value
    finally:
        _stop_process(proc)
        recv.close()
    return [out[i] if i in out else _as_json(compute(i)) for i in range(n)]


class Worker:
    """One forked worker process running ``tasks`` (``(name, callable)`` pairs, callables returning JSON-able
    values) in order.  Use :func:`beside`; results are read with :func:`take`."""

    def __init__(self, tasks: Sequence[tuple[str, Callable[[], Any]]]):
        import multiprocessing  # lazy: start-up time (loaded only when a worker starts)

        ctx = multiprocessing.get_context("fork")
        self._conn, send = ctx.Pipe(duplex=False)
        self.names = [name for name, _ in tasks]
        self._arrived: dict[str, dict] = {}
        self._taken: set[str] = set()
        sys.stdout.flush()
        sys.stderr.flush()
        self._proc = ctx.Process(target=_serve, args=(list(tasks), send, self._conn, os.getpid()), daemon=True)
        self._proc.start()
        send.close()

    def take(self, name: str) -> Any:
        """The value of task ``name`` (waiting for it), its logs and effects replayed here; :data:`MISSING` if
        the task is not this worker's, was taken already, failed, or the worker is gone."""
        if name not in self.names or name in self._taken:
            return MISSING
        while name not in self._arrived:
            msg = _receive(self._conn, self._proc)
            if msg is None:
                break
            if msg.get("name") in self.names:
                self._arrived[msg["name"]] = msg
        self._taken.add(name)
        return _replayed(self._arrived.pop(name, {"ok": False}))

    def finish(self) -> None:
        """Take every result not taken yet (replaying its logs and effects), then wait for the process."""
        for name in self.names:
            self.take(name)
        self.close()

    def close(self) -> None:
        """Stop the worker (if still running) and release the pipe."""
        _stop_process(self._proc)
        self._conn.close()


@contextlib.contextmanager
def beside(tasks: Sequence[tuple[str, Callable[[], Any]]] | Callable[[], Sequence[tuple[str, Callable[[], Any]]]]
           ) -> Iterator[Worker | None]:
    """Run ``tasks`` in a worker process for the duration of the ``with`` block (None when :func:`enabled` is
    false or there is nothing to do).  ``tasks`` may be a function returning the list, called only when a worker
    can start (so a one-process run does not even look for work to hand out).  Leaving the block normally takes
    the remaining results (their effects, e.g. cache entries, are replayed); leaving it by an exception stops the
    worker.

    Raises
    ------
    InputError
        ``GLASS_SYM_JOBS`` is malformed.
    """
    if not enabled():  # first: a malformed GLASS_SYM_JOBS is refused on every run
        yield None
        return
    if callable(tasks):
        tasks = tasks()
    if not tasks:
        yield None
        return
    w = Worker(tasks)
    _state["active"].append(w)
    try:
        yield w
    except BaseException:
        _state["active"].remove(w)
        w.close()
        raise
    _state["active"].remove(w)
    w.finish()


def take(name: str) -> Any:
    """The result of task ``name`` from the running worker that has it, else :data:`MISSING` (compute it)."""
    for w in _state["active"]:
        if name in w.names:
            return w.take(name)
    return MISSING
