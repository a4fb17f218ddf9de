"""Parsed transcriptions in the on-disk cache (:mod:`glass_sym.audit.parse_cache`): a value read back is the
identical expression (srepr, index and term order) as a fresh parse of every transcribed tensor-free right-hand
side; a tampered entry is not trusted (parsed again); parse errors are not cached."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from glass_sym.audit import parse_cache as apc
from glass_sym.errors import ParseError
from glass_sym.paper.transcriptions import VERSIONS, load_equations
from glass_sym.parse.parser import parse_latex
from glass_sym.records import cache


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(apc, "_state", {"loaded": False, "values": {}, "dirty": False})
    return tmp_path


def _reset(monkeypatch):
    monkeypatch.setattr(apc, "_state", {"loaded": False, "values": {}, "dirty": False})


def _texts():
    out = []
    for v in VERSIONS:
        for e in load_equations(v):
            if e.latex and "\\tilde\\Lambda" not in e.latex:
                out.append(e.latex)
    return list(dict.fromkeys(out))


def test_cached_values_equal_fresh_parses(fresh, monkeypatch):
    texts, values = _texts(), {}
    for t in texts:
        try:
            values[t] = apc.parsed(t, lambda t=t: parse_latex(t))
        except ParseError:
            continue
    apc.flush()
    assert len(values) >= 30
    _reset(monkeypatch)
    called = []
    for t, v in values.items():
        again = apc.parsed(t, lambda t=t: called.append(t) or parse_latex(t))
        assert apc._same(again, v), t
    assert len(called) <= len(values) // 5  # most values came from the cache (the rest do not round-trip)


def test_tampered_entry_is_parsed_again(fresh, monkeypatch, capsys):
    t = r"\frac{1}{4\pi x^3}(\delta_{jl} - 3 n_j n_l)"
    v = apc.parsed(t, lambda: parse_latex(t))
    apc.flush()
    entry = fresh / "parsed-latex.json"
    obj = json.loads(entry.read_text())
    key = next(iter(obj["payload"]["values"]))
    obj["payload"]["values"][key] = {"type": "expr", "value": ["int", "7"]}  # another value, old MAC
    entry.write_text(json.dumps(obj))
    _reset(monkeypatch)
    called = []
    got = apc.parsed(t, lambda: called.append(1) or parse_latex(t))
    assert called and apc._same(got, v) and "failed its checksum" in capsys.readouterr().err
    assert sp.srepr(got) != sp.srepr(sp.Integer(7))


def test_parse_errors_are_not_cached(fresh):
    for _ in range(2):
        with pytest.raises(ParseError):
            apc.parsed(r"\frac{1}{", lambda: parse_latex(r"\frac{1}{"))
    apc.flush()
    assert not (fresh / "parsed-latex.json").exists()
