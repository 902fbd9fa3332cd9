"""CSV files that spreadsheet programs open safely and read right.

A CSV starts with a byte order mark, without which spreadsheet programs read UTF-8 as a legacy code page and Arabic
turns to garbage, and no cell can start a formula (``neutralise``).
"""

BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP's "CSV injection"); a
# leading apostrophe makes it text. Tab and carriage return are the obfuscated forms of the same attack.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
