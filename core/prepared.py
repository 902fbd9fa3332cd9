"""Queries whose SQL is compiled once per process, for the few a page runs on every uncached request.

Django spends two to four milliseconds building and compiling a queryset with a few subqueries and joins: ten times
what SQLite or PostgreSQL then takes to run it, and most of a case study's cost (issue 14). A ``PreparedQuery``
builds its ``values()`` queryset once per database and shape (the lengths of its list arguments) with stand-in
values, keeps the SQL, and runs it with each call's own values. The SQL depends only on the query's shape, never on
the content, so keeping it is as safe as keeping a compiled template. ``PreparedInstances`` does the same for a
queryset of model instances: the page that ``core/routing.py`` reads by its id on every request, a search's result
pages (``search/queries.py``).
"""

import itertools

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators


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
        shape = (using, *((name, len(v) if isinstance(v, list | tuple) else -1) for name, v in sorted(values.items())))
        prepared = self._prepared.get(shape)
        if prepared is None:
            prepared = self._prepared[shape] = self._prepare(using, values)
        sql, slots, names, converters = prepared
        params = [constant if name is None else _pick(values[name], index) for name, index, constant in slots]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in _converted(rows, converters, connection)]

    def _prepare(self, using, values):
        queryset, compiler, sql, slots = self._compile(using, values)
        query = queryset.query
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return sql, slots, names, converters

    def _compile(self, using, values):
        """The queryset built with stand-ins, its compiler, its SQL, and where each parameter comes from."""
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
            raise ValueError(f"{type(self).__name__}: {sorted(missing, key=str)} did not reach the SQL unchanged")
        return queryset, compiler, sql, slots

    @classmethod
    def _standin(cls, value, name, index, standins):
        # Distinct from each other and from any constant of the query, of the value's own type; a positive
        # integer within 32 bits, as Django drops a lookup whose value is out of the field's range.
        serial = next(cls._serial)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"{cls.__name__}: {name} must be an integer or text, or a list of them")
        standin = 2**30 + serial if isinstance(value, int) else f"\x1fprepared-{serial}\x1f"
        standins[standin] = (name, index)
        return standin


class PreparedInstances(PreparedQuery):
    """The same for a queryset of model instances (``select_related`` included, no annotations): ``build(**values)``
    returns the queryset; calling the prepared query returns its instances, made as Django's ``ModelIterable`` makes
    them (``from_db``, the related rows' populators), from SQL compiled once per database and shape."""

    def __call__(self, using=DEFAULT_DB_ALIAS, **values):
        shape = (using, *((name, len(v) if isinstance(v, list | tuple) else -1) for name, v in sorted(values.items())))
        prepared = self._prepared.get(shape)
        if prepared is None:
            prepared = self._prepared[shape] = self._prepare_instances(using, values)
        sql, slots, converters, model, init_list, start, end, populators = prepared
        params = [constant if name is None else _pick(values[name], index) for name, index, constant in slots]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        instances = []
        for row in _converted(rows, converters, connection):
            instance = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            instances.append(instance)
        return instances

    def _prepare_instances(self, using, values):
        queryset, compiler, sql, slots = self._compile(using, values)
        if compiler.annotation_col_map or queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError("PreparedInstances: annotations, known related objects and prefetches are not kept")
        # What ModelIterable reads from the compiler after running the query; it depends on the query alone.
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        return sql, slots, converters, klass_info["model"], init_list, start, end, populators


def _converted(rows, converters, connection):
    """The rows as Django's compiler gives them: each field's converters applied (``apply_converters``)."""
    if not converters:
        return rows
    rows = [list(row) for row in rows]
    for row in rows:
        for position, (functions, expression) in converters.items():
            for function in functions:
                row[position] = function(row[position], expression, connection)
    return rows


def _pick(value, index):
    return value if index is None else value[index]
