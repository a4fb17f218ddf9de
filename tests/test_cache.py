"""On-disk cache: reuse, staleness, corruption and tampering, no-cache switch, safe serializer."""

import json

import pytest
import sympy as sp

from glass_sym.errors import CacheError
from glass_sym.records import cache, derivation
from glass_sym.records.serialize import from_json, to_json, value_from_json, value_to_json


@pytest.fixture(scope="module")
def primed(tmp_path_factory):
    """A cache directory holding a valid appendix-a entry (built once per module)."""
    import os

    d = tmp_path_factory.mktemp("cache")
    old = os.environ.get("GLASS_SYM_CACHE_DIR")
    os.environ["GLASS_SYM_CACHE_DIR"] = str(d)
    try:
        built, reg = dict(derivation._BUILT), dict(derivation.registry)
        derivation._BUILT.pop("appendix-a", None)
        derivation.build("appendix-a", use_cache=True)
        derivation._BUILT.clear(), derivation._BUILT.update(built)
        derivation.registry.clear(), derivation.registry.update(reg)
    finally:
        if old is None:
            os.environ.pop("GLASS_SYM_CACHE_DIR")
        else:
            os.environ["GLASS_SYM_CACHE_DIR"] = old
    return d


@pytest.fixture()
def fresh(tmp_path, monkeypatch, primed):
    import shutil

    for f in primed.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    monkeypatch.setenv("GLASS_SYM_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("GLASS_SYM_NO_CACHE", raising=False)
    monkeypatch.setattr(derivation, "_BUILT", {})
    monkeypatch.setattr(derivation, "registry", {})
    return tmp_path


def _forbid_build(monkeypatch):
    import glass_sym.derivations.appendix_a as A

    def boom():
        raise AssertionError("rebuilt although a valid cache entry exists")

    monkeypatch.setattr(A, "build", boom)


def test_cache_reused_and_closed_forms_restored(fresh, monkeypatch):
    d1 = derivation.build("appendix-a", use_cache=False)
    monkeypatch.setattr(derivation, "_BUILT", {})
    monkeypatch.setattr(derivation, "registry", {})
    _forbid_build(monkeypatch)
    d2 = derivation.build("appendix-a")
    assert [s.as_dict() for s in d2.steps] == [s.as_dict() for s in d1.steps]
    from glass_sym.algebra.tensor import compare

    assert compare(derivation.get("lambda_tilde").value.to_tensor(), d1.closed_forms["lambda_tilde"].value.to_tensor()).equal


def test_tampered_entry_is_rebuilt(fresh, caplog):
    path = fresh / "appendix-a.json"
    obj = json.loads(path.read_text())
    obj["payload"]["steps"][0]["verified"] = False  # forge a result, keep the old MAC
    path.write_text(json.dumps(obj))
    assert cache.load("appendix-a") is None
    assert "checksum" in caplog.text  # a warning of the glass_sym.records.cache logger


def test_corrupted_entry_is_rebuilt(fresh, caplog):
    path = fresh / "appendix-a.json"
    path.write_bytes(path.read_bytes()[:100])  # as if killed mid-write without atomic rename
    assert cache.load("appendix-a") is None
    assert "unreadable" in caplog.text


def test_stale_key_ignored(fresh, monkeypatch):
    assert cache.load("appendix-a") is not None
    monkeypatch.setitem(cache._key_memo, "key", "0.0.0:other-sources")
    assert cache.load("appendix-a") is None


def test_no_cache_switch(fresh, monkeypatch):
    assert cache.load("appendix-a") is not None
    monkeypatch.setenv("GLASS_SYM_NO_CACHE", "1")
    assert cache.load("appendix-a") is None
    assert not cache.enabled()


def test_leftover_temp_file_is_not_trusted(fresh):
    (fresh / "appendix-a.json").unlink()
    (fresh / ".appendix-a.json.123.tmp").write_text("{}")  # a killed writer's temp file
    assert cache.load("appendix-a") is None


def test_serializer_roundtrip_of_every_closed_form():
    d = derivation.build("appendix-a")
    for cf in d.closed_forms.values():
        back = value_from_json(json.loads(json.dumps(value_to_json(cf.value))))
        if hasattr(back, "to_tensor"):
            from glass_sym.algebra.tensor import compare

            assert compare(back.to_tensor(), cf.value.to_tensor()).equal, cf.name
        else:
            assert sp.simplify(back - cf.value) == 0, cf.name


@pytest.mark.parametrize("tree", [["eval", "__import__('os')"], ["fn", "system", []], ["sym", "x", ["evil"]],
                                  "just a string", ["pow", ["int", "2"]], ["int", "1e9999"]])
def test_serializer_rejects_unknown_nodes(tree):
    with pytest.raises(CacheError):
        from_json(tree)


def test_serializer_expression_roundtrip():
    x = sp.Symbol("x", positive=True)
    e = sp.exp(-x) / (8 * sp.pi * x) + sp.Rational(3, 7) * sp.I
    assert from_json(to_json(e)) == e


def test_cli_shows_cache_warnings_on_stderr(fresh, capsys):
    """Library code logs; the CLI prints the warning as one 'glass-sym: ...' line on stderr."""
    from glass_sym.cli import main as cli

    path = fresh / "appendix-a.json"
    path.write_bytes(path.read_bytes()[:100])
    assert cli.main(["derive", "appendix-a", "--json"]) == 0
    err = capsys.readouterr().err
    assert "glass-sym: cache entry " in err and "is unreadable (JSONDecodeError); rebuilding" in err
