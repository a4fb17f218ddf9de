"""Speed-ups must not change any derivation step: every step's statement (the value as a SymPy string), its
residual and its verification status equal a stored reference (tests/data/derive_reference.json, written by
``scripts/update_derive_reference.py`` from the chains before the issue-14 speed-ups: the exact-ring J model,
the chain-rule Cartesian derivatives, ring sphere averages).  A deliberate change of a step regenerates the
reference with that script."""

import json
import pathlib

import pytest

from glass_sym.cli.commands.derive import chain_records, resolve_names

REFERENCE = pathlib.Path(__file__).parent / "data" / "derive_reference.json"
FIELDS = ("derivation", "name", "label", "statement", "residual", "verified", "kind")


@pytest.fixture(scope="module")
def current():
    out = []
    for name in resolve_names(["all"]):
        out += [{"derivation": name} | {k: r[k] for k in FIELDS if k != "derivation"} for r in chain_records(name)[1]]
    return out


def test_every_step_equals_the_reference(current):
    ref = json.loads(REFERENCE.read_text())
    assert [(r["derivation"], r["name"]) for r in current] == [(r["derivation"], r["name"]) for r in ref]
    for now, then in zip(current, ref):
        assert now == then, now["name"]


def test_reference_is_verified_with_zero_residuals():
    ref = json.loads(REFERENCE.read_text())
    assert len(ref) >= 50
    checked = [r for r in ref if r["kind"] != "definition"]
    assert all(r["verified"] for r in checked)
    assert all(r["residual"] == "0" for r in checked)
