"""Rewrite tests/data/derive_reference.json from a cold ``glass-sym derive all --json`` (run only when a
derivation step is meant to change: the test ``tests/test_derive_reference.py`` guards speed-ups against
changing any step value, residual or verification status).

Usage: GLASS_SYM_NO_CACHE=1 python scripts/update_derive_reference.py
"""

import json
import pathlib
import subprocess
import sys

FIELDS = ("derivation", "name", "label", "statement", "residual", "verified", "kind")

if __name__ == "__main__":
    out = subprocess.run([sys.executable, "-m", "glass_sym", "derive", "all", "--json"], check=True,
                         capture_output=True, text=True).stdout
    ref = [{k: rec[k] for k in FIELDS} for rec in json.loads(out)]
    path = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "derive_reference.json"
    path.write_text(json.dumps(ref, indent=0, sort_keys=True) + "\n")
    print(f"wrote {len(ref)} step records to {path}")
