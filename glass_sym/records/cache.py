"""On-disk cache of derived results, keyed by package version and a hash of the sources.

One JSON file per entry (a derivation chain; also ``forensics``, ``parsed-latex``, ``figures-*``,
``b5-jl-kernel-averages-*``, ``display-texts``, ``engine-regulated-forms`` and ``numeric-mpmath``, written by
:mod:`glass_sym.audit.rows`, :mod:`glass_sym.audit.parse_cache`, :mod:`glass_sym.output.sections.rg`,
:mod:`glass_sym.audit.forensics_b5`, :mod:`glass_sym.audit.display_cache`, :mod:`glass_sym.records.engine_forms_cache`
and :mod:`glass_sym.audit.numeric`) in the cache directory (``$GLASS_SYM_CACHE_DIR``, else
``$XDG_CACHE_HOME/glass-sym``, else ``~/.cache/glass-sym``).  Each entry holds

* ``key``: the package version and a SHA-256 over every source and data file of ``glass_sym`` and
  ``derivations`` (any edit invalidates every entry);
* ``payload``: the step records (text) and the closed forms (safe JSON trees, :mod:`glass_sym.records.serialize`);
* ``mac``: HMAC-SHA256 of the canonical JSON of key and payload, under a random per-directory key file.

An entry that is stale, unreadable, corrupted or tampered with is rebuilt, never trusted.  Nothing is unpickled
or evaluated.  Writes are atomic (temporary file + ``os.replace``), so a process killed mid-write leaves either
the old entry or none.  ``GLASS_SYM_NO_CACHE=1`` (or ``--no-cache``) turns the cache off.

This module imports no SymPy: the cached path of ``glass-sym derive`` stays fast.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glass_sym import __version__, worker
from glass_sym.fileio import atomic_write

__all__ = ["enabled", "cache_dir", "source_key", "load", "load_or_take", "worker_task", "store", "clear",
           "NO_CACHE_ENV", "CACHE_DIR_ENV"]

NO_CACHE_ENV = "GLASS_SYM_NO_CACHE"
CACHE_DIR_ENV = "GLASS_SYM_CACHE_DIR"
FORMAT = 1
_SOURCE_SUFFIXES = (".py", ".toml", ".lark", ".json")
_key_memo: dict[str, str] = {}


def enabled() -> bool:
    """False when ``GLASS_SYM_NO_CACHE`` is set to 1/true/yes."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def cache_dir() -> Path:
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "glass-sym"


def source_key() -> str:
    """Package version + SHA-256 of all source/data files of glass_sym and derivations."""
    if "key" in _key_memo:
        return _key_memo["key"]

    here = Path(__file__).resolve().parents[1]  # the glass_sym package root (this file is in records/)
    roots = [here, here.parent / "derivations"]
    h = hashlib.sha256()
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                h.update(str(path.relative_to(root.parent)).encode())
                h.update(b"\0")
                h.update(path.read_bytes())
                h.update(b"\0")
    _key_memo["key"] = f"{__version__}:{h.hexdigest()}"
    return _key_memo["key"]


def _secret(create: bool) -> bytes | None:
    path = cache_dir() / ".hmac-key"
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    if not create:
        return None
    key = secrets.token_bytes(32)
    _atomic_write(path, key, mode=0o600)
    return key


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _mac(secret: bytes, key: str, payload: Any) -> str:
    return hmac.new(secret, _canonical({"key": key, "payload": payload}), hashlib.sha256).hexdigest()


def _entry(name: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    return cache_dir() / f"{safe}.json"


_log = logging.getLogger(__name__)


_reported: set = set()


def _warn(msg: str, key: Any = None) -> None:
    """A cache problem the run recovers from: a warning on the ``glass_sym.records.cache`` logger (the CLI shows it on
    stderr as ``glass-sym: msg``), once per process for the same ``key`` (a file in one state, or an entry and a
    write error).  In a worker process (:mod:`glass_sym.worker`) it is handed to the main process, which reports
    it under the same rule (a worker reads entries the main process reads too)."""
    key = tuple(key) if key is not None else (msg,)
    if worker.defer("cache-warning", msg, list(key)):
        return
    if key in _reported:
        return
    _reported.add(key)
    _log.warning(msg)


worker.on_replay("cache-warning", _warn)


def _file_state(path: Path) -> list:
    try:
        st = path.stat()
        return [str(path), st.st_mtime_ns, st.st_size]
    except OSError:
        return [str(path)]


def load(name: str, *, quiet: bool = False) -> dict | None:
    """The verified payload of chain ``name``, or None (missing, stale, corrupted or tampered: rebuild).

    A corrupted or tampered entry is reported once per process and file state (``quiet=True``: not at all; for
    a look ahead whose caller reads the entry again)."""
    if not enabled():
        return None
    path = _entry(name)
    if not path.exists():
        return None
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise ValueError("unknown format")
        key, payload, mac = obj["key"], obj["payload"], obj["mac"]
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        if not quiet:
            _warn(f"cache entry {path} is unreadable ({type(exc).__name__}); rebuilding", _file_state(path))
        return None
    if key != source_key():
        return None  # stale: sources changed
    secret = _secret(create=False)
    if secret is None or not hmac.compare_digest(str(mac), _mac(secret, key, payload)):
        if not quiet:
            _warn(f"cache entry {path} failed its checksum (corrupted or tampered); rebuilding", _file_state(path))
        return None
    return payload


def load_or_take(name: str) -> dict | None:
    """The payload of entry ``name``: from the verified cache (:func:`load`), else the payload a worker task of the
    same name computed in this run (:func:`glass_sym.worker.take`; also with the cache off), else None."""
    payload = load(name)
    if payload is None:
        got = worker.take(name)
        payload = got if isinstance(got, dict) else None
    return payload


def worker_task(name: str, compute: Callable[[], dict | None]) -> list[tuple[str, Callable[[], dict | None]]]:
    """``[(name, task)]`` for :func:`glass_sym.worker.beside`, or ``[]`` when the verified cache holds entry
    ``name`` already.  The task computes the entry's payload with ``compute()`` and stores it (from a worker, the
    main process writes it when it takes the result); :func:`load_or_take` reads it."""
    if load(name, quiet=True) is not None:
        return []

    def task() -> dict | None:
        payload = compute()
        if payload is not None:
            store(name, payload)
        return payload

    return [(name, task)]


def store(name: str, payload: dict) -> bool:
    """Write the entry atomically; a cache that cannot be written is skipped with a warning.

    Inside a worker process (:mod:`glass_sym.worker`) the entry is handed to the main process, which stores it
    when it takes the task's result: only one process ever writes the cache directory and its HMAC key.
    """
    if not enabled():
        return False
    if worker.defer("cache", name, payload):
        return True
    try:
        key = source_key()
        secret = _secret(create=True)
        data = _canonical({"format": FORMAT, "key": key, "payload": payload, "mac": _mac(secret, key, payload)})
        _atomic_write(_entry(name), data)
        return True
    except OSError as exc:
        # once per error: an unwritable cache directory is one problem, not one per entry
        _warn(f"could not write cache entry for {name} ({exc}); continuing without cache", ["write", str(exc)])
        return False


worker.on_replay("cache", store)


def clear() -> None:
    """Remove every cache entry (the HMAC key too)."""
    d = cache_dir()
    if d.is_dir():
        for p in d.glob("*.json"):
            p.unlink(missing_ok=True)
        (d / ".hmac-key").unlink(missing_ok=True)


def _atomic_write(path: Path, data: bytes, mode: int | None = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data, mode=mode)
