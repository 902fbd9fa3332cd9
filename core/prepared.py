"""Queries whose SQL is compiled once per process, for the few a page runs on every uncached request.

Django spends two to four milliseconds building and compiling a queryset with a few subqueries and joins: ten times
what SQLite or PostgreSQL then takes to run it, and most of a case study's cost (issue 14). A ``PreparedQuery``
builds its ``values()`` queryset once per database and shape (the lengths of its list arguments) with stand-in
values, keeps the SQL, and runs it with each call's own values. The SQL depends only on the query's shape, never on
the content, so keeping it is as safe as keeping a compiled template.
"""

import itertools

from django.db import DEFAULT_DB_ALIAS, connections


class PreparedQuery:
    """``build(**values)`` returns a ``values()`` queryset; calling the prepared query returns its rows as dicts
    (named as ``values()`` names them, after the fields' converters: the same values the queryset gives).

    The values must be integers or text, or lists of them, and go into the query unchanged (filters such as
    ``pk=page_id`` or ``locale__language_code__in=languages``; not a pattern or a date that the field would
    transform): preparing fails loudly when a stand-in does not reach the SQL as it went in."""

    _serial = itertools.count()

    def __init__(self, build):
        self.build = build
        self._prepared = {}

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        prepared, rows = self._run(using, values)
        names = prepared[2]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _run(self, using, values):
        """The prepared query of this call's shape and its rows (lists, after the converters)."""
        shape = (using, *((name, len(v) if isinstance(v, list | tuple) else -1) for name, v in sorted(values.items())))
        prepared = self._prepared.get(shape)
        if prepared is None:
            prepared = self._prepared[shape] = self._prepare(using, values)
        sql, slots, _names, converters = prepared[:4]
        params = [constant if name is None else _pick(values[name], index) for name, index, constant in slots]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in converters.items():
                    for function in functions:
                        row[position] = function(row[position], expression, connection)
        return prepared, rows

    def _prepare(self, using, values):
        standins = {}  # stand-in -> (argument name, index in its list or None)
        arguments = {}
        for name, value in values.items():
            if isinstance(value, list | tuple):
                arguments[name] = [self._standin(item, name, index, standins) for index, item in enumerate(value)]
            else:
                arguments[name] = self._standin(value, name, None, standins)
        queryset = self.build(**arguments)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = []
        for param in params:
            found = standins.get(param) if isinstance(param, int | str) else None
            slots.append((*found, None) if found else (None, None, param))
        missing = set(standins.values()) - {(name, index) for name, index, _ in slots}
        if missing:
            raise ValueError(f"PreparedQuery: {sorted(missing, key=str)} did not reach the SQL unchanged")
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return sql, slots, names, converters, compiler

    def _standin(self, value, name, index, standins):
        # Distinct from each other and from any constant of the query, of the value's own type; a positive
        # integer within 32 bits, as Django drops a lookup whose value is out of the field's range.
        serial = next(self._serial)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"PreparedQuery: {name} must be an integer or text, or a list of them")
        standin = 2**30 + serial if isinstance(value, int) else f"\x1fprepared-{serial}\x1f"
        standins[standin] = (name, index)
        return standin


def _pick(value, index):
    return value if index is None else value[index]


class PreparedInstances(PreparedQuery):
    """A prepared query whose ``build(**values)`` returns a queryset of one model's instances (no ``values()``, no
    ``select_related``): calling it returns the instances, built as iterating the queryset builds them."""

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        prepared, rows = self._run(using, values)
        compiler = prepared[4]
        model = compiler.klass_info["model"]
        fields = compiler.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        attnames = [column.target.attname for column, _, _ in compiler.select[start:end]]
        return [model.from_db(using, attnames, row[start:end]) for row in rows]
