"""Sections of the ``glass-sym reproduce`` report.

Each entry of :data:`SECTIONS` is a module path with ``section(outdir: pathlib.Path) -> Section``.
The report is deterministic: timings go to ``timings.json``, never into ``report.md``/``report.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Section", "SECTIONS", "SCHEMA_VERSION", "DEFAULT_OUTDIR"]

#: report.json schema (docs/json.md)
SCHEMA_VERSION = "glass-sym/report/3"
#: default output directory of ``glass-sym reproduce`` (not ``build/``, which setuptools fills)
DEFAULT_OUTDIR = "glass-sym-report"


@dataclass
class Section:
    """One part of the report: a title, Markdown text, a JSON-able object, ran/failed, timings and the files
    it wrote (paths)."""

    key: str
    title: str
    markdown: str
    data: Any
    ok: bool = True
    timings: dict = field(default_factory=dict)
    files: list = field(default_factory=list)


#: report sections in order (module paths)
SECTIONS = [
    "glass_sym.output.sections.derivations",
    "glass_sym.output.sections.audit",
    "glass_sym.output.sections.rg",
    "glass_sym.output.sections.lattice",
]
