"""Test configuration: tests never touch the user's cache directory."""

import os
import tempfile

os.environ.setdefault("GLASS_SYM_CACHE_DIR", tempfile.mkdtemp(prefix="glass-sym-test-cache-"))
