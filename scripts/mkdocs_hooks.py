"""MkDocs hooks for the glass-sym documentation (``hooks:`` in mkdocs.yml).

Docstrings carry doctests (``>>> ...`` and their output) in free text, e.g. in module docstrings.  Markdown
would read their output as text (``['f1', 'f2']`` even as a reference link), so this hook adds a Markdown
preprocessor that wraps every doctest block outside a code fence into a ``pycon`` fence.  It is registered
before mkdocstrings reads the Markdown configuration (event priority), so docstrings get it too.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

__all__ = ["DoctestFence", "on_config"]

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>>( |$)")


class _DoctestPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_fence = False
        i = 0
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line):
                in_fence = not in_fence
                out.append(line)
                i += 1
                continue
            m = _PROMPT.match(line)
            if in_fence or not m:
                out.append(line)
                i += 1
                continue
            indent = m.group(1)
            block = []
            while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
                block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += [indent + "```pycon", *[indent + b for b in block], indent + "```", ""]
        return out


class DoctestFence(Extension):
    """Markdown extension: doctest blocks outside code fences become ``pycon`` code blocks."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API name
        md.preprocessors.register(_DoctestPreprocessor(md), "glass_sym_doctest_fence", 40)


@event_priority(100)
def on_config(config):
    config.markdown_extensions.append(DoctestFence())
    return config
