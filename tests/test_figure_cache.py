"""The report's rendered figures in the on-disk cache (:func:`glass_sym.output.sections.rg._cached_plot`): a warm run
writes the same bytes the renderer wrote, without rendering; a tampered or stale entry is re-rendered, never
trusted; with the cache off every run renders."""

from __future__ import annotations

import json
import pathlib

from glass_sym.output.sections.rg import _cached_plot
from glass_sym.records import cache


def _producer(figdir: pathlib.Path, calls: list, content: bytes = b"\x89PNG fake figure bytes \x00\xff"):
    def produce():
        calls.append(1)
        figdir.mkdir(parents=True, exist_ok=True)
        out = []
        for ext in ("png", "pdf"):
            p = figdir / f"demo.{ext}"
            p.write_bytes(content + ext.encode())
            out.append(str(p))
        return out
    return produce


def test_warm_run_writes_the_rendered_bytes_without_rendering(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    calls: list = []
    first = _cached_plot(tmp_path / "a", "demo", {"part": "x"}, _producer(tmp_path / "a", calls))
    second = _cached_plot(tmp_path / "b", "demo", {"part": "x"}, _producer(tmp_path / "b", calls))
    assert len(calls) == 1
    assert [pathlib.Path(f).name for f in first] == [pathlib.Path(f).name for f in second] == ["demo.png", "demo.pdf"]
    assert all(pathlib.Path(a).read_bytes() == pathlib.Path(b).read_bytes() for a, b in zip(first, second))
    _cached_plot(tmp_path / "c", "demo", {"part": "y"}, _producer(tmp_path / "c", calls))  # other arguments
    assert len(calls) == 2


def test_tampered_entry_is_rendered_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    calls: list = []
    _cached_plot(tmp_path / "a", "demo", {}, _producer(tmp_path / "a", calls))
    entry = tmp_path / "cache" / "figures-demo.json"
    obj = json.loads(entry.read_text())
    obj["payload"]["files"][0][1] = "dGFtcGVyZWQ="  # other bytes, old MAC
    entry.write_text(json.dumps(obj))
    out = _cached_plot(tmp_path / "b", "demo", {}, _producer(tmp_path / "b", calls))
    assert len(calls) == 2 and "failed its checksum" in capsys.readouterr().err
    assert pathlib.Path(out[0]).read_bytes() != b"tampered"


def test_no_cache_always_renders(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    calls: list = []
    for d in ("a", "b"):
        _cached_plot(tmp_path / d, "demo", {}, _producer(tmp_path / d, calls))
    assert len(calls) == 2 and not (tmp_path / "cache").exists()
