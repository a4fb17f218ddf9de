"""Test configuration: tests never touch the user's cache directory.

Each pytest-xdist worker gets a private cache directory (a subdirectory named for the worker), so workers never
race on the cache's HMAC secret or entries; a serial run uses one directory for the whole session.
"""

import os
import tempfile

_base = os.environ.get("GLASS_SYM_CACHE_DIR") or tempfile.mkdtemp(prefix="glass-sym-test-cache-")
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _base = os.path.join(_base, f"xdist-{_worker}")
    os.makedirs(_base, exist_ok=True)
os.environ["GLASS_SYM_CACHE_DIR"] = _base
