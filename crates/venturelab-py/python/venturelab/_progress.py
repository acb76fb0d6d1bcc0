"""Progress for long calls: ``progress=True`` shows a tqdm bar (``tqdm.auto``: a widget in
Jupyter, text in a terminal); a callable gets ``(done, total)``; False shows nothing."""

import contextlib


@contextlib.contextmanager
def reporter(progress, unit):
    """A ``(done, total)`` callback for the compiled module, or None."""
    if not progress:
        yield None
        return
    if callable(progress):
        yield progress
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=0, unit=unit)

    def update(done, total):
        if bar.total != total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
