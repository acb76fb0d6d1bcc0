"""Cap tables: SAFEs, notes, priced rounds and the exit waterfall (``venturelab captable``)."""

from . import _venturelab as _rs


def captable(table, ocf=False):
    """The table after every priced round. ``table``: cap-table TOML text or a path; with
    ``ocf=True`` an Open Cap Format file or folder."""
    return _rs.captable(str(table), bool(ocf))


def waterfall(table, exit=None, sweep=None, points=50, ocf=False):
    """Each holder's payout at ``exit`` (default: the file's exit event), and along
    ``sweep=(low, high)`` exit values in ``points`` steps, with the conversion breakpoints."""
    sw = None if sweep is None else (float(sweep[0]), float(sweep[1]))
    return _rs.waterfall(str(table), exit, sw, int(points), bool(ocf))
