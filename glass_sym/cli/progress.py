"""Progress display of long commands: tqdm bars on stderr, shown only on a terminal."""

from __future__ import annotations

import sys

from tqdm import tqdm

__all__ = ["progress_bar"]


def progress_bar(label: str, total: int, *, delay: float = 1.0, stream=None):
    """A tqdm progress bar on stderr, shown only when the stream is a terminal and only once a run has taken
    longer than ``delay`` seconds; call ``bar(done, total)`` to update, ``bar.close()`` at the end.

    >>> import io
    >>> bar = progress_bar("demo", 2, stream=io.StringIO()); bar(1, 2); bar.close()   # not a terminal: silent
    """
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    bar = tqdm(total=total, desc=label, file=stream, delay=delay, leave=False,
               disable=not (isatty is not None and isatty()))

    def update(done: int, total_: int) -> None:
        bar.total = total_
        bar.update(done - bar.n)

    update.close = bar.close  # type: ignore[attr-defined]
    return update
