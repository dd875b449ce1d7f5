"""Model instances read through one hand-written join.

A few queries run on every request (the API token and its account, the
reports carrying a value). Django compiling the same query each time costs
more than running it, so those are written once per process, and their rows
become instances with the ORM's own converters, as `select_related` would
have made them. A part may name the only fields it reads: the others are
deferred, as with `.only()`, and read on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class Part:
    """One model's columns in a join, under a table alias."""

    model: type[Model]
    alias: str
    only: tuple[str, ...] = ()

    @cached_property
    def fields(self) -> tuple[Field[Any, Any], ...]:
        concrete = self.model._meta.concrete_fields
        if not self.only:
            return tuple(concrete)
        wanted = {*self.only, self.model._meta.pk.name}
        return tuple(field for field in concrete if field.name in wanted)

    @cached_property
    def pk_at(self) -> int:
        return self.fields.index(self.model._meta.pk)

    @cached_property
    def columns(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(str(field.column))}" for field in self.fields)

    @cached_property
    def _converters(self) -> tuple[tuple[Any, list[Any]], ...]:
        """Per column, what the ORM would apply to a raw value of it (SQLite
        hands back text for times and ids; the ORM makes them typed)."""
        found = []
        for field in self.fields:
            column = field.get_col(self.model._meta.db_table)
            found.append(
                (
                    column,
                    connection.ops.get_db_converters(column) + field.get_db_converters(connection),
                )
            )
        return tuple(found)

    @cached_property
    def _attnames(self) -> list[str]:
        return [field.attname for field in self.fields]

    def instance(self, values: tuple[Any, ...]) -> Any:
        """The instance these column values make, or None when an outer join
        found no row (its primary key is empty)."""
        if values[self.pk_at] is None:
            return None
        converted = []
        for (column, converters), value in zip(self._converters, values, strict=True):
            for convert in converters:
                value = convert(value, column, connection)
            converted.append(value)
        return self.model.from_db("default", self._attnames, converted)


def select_list(parts: tuple[Part, ...]) -> str:
    return ", ".join(part.columns for part in parts)


def instances(
    row: tuple[Any, ...], parts: tuple[Part, ...], known: dict[tuple[str, Any], Any] | None = None
) -> list[Any]:
    """One joined row cut into an instance per part, in the order selected.
    Across the rows of one query, `known` hands back the instance already
    made for a primary key (reports of one publisher share its instance)."""
    known = {} if known is None else known
    found, start = [], 0
    for part in parts:
        end = start + len(part.fields)
        values = row[start:end]
        start = end
        key = (part.alias, values[part.pk_at])
        if key not in known:
            known[key] = part.instance(values)
        found.append(known[key])
    return found
