"""The few statements on the questionnaire's hot path (show a page, save a page), run with as little
machinery as possible.

Each request gets one pooled connection in autocommit mode (opened on first use, returned at the end of
the request): every statement is its own transaction, so SQLite's write lock is taken and released
inside SQLite's C code, never held across Python code.

On SQLite a statement is compiled by SQLAlchemy once, and then runs on the pooled driver connection with
the column types' own bind and result processors, so what is written and read is exactly what the ORM
writes and reads. SQLAlchemy's execution layer (execution context, result objects, events) costs about
ten times the SQL for a one-row read or update: measured, a quarter of a whole save (docs/BENCHMARKS.md).
Other databases run the same statements through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, g
from sqlalchemy import Connection, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import Compiled

from assessment.web.models import db

Processor = Callable[[Any], Any] | None


def init_app(app: Flask) -> None:
    """Return the request's hot-path connection to the pool when the request ends."""
    app.teardown_appcontext(_release)


class HotStatement:
    """One statement of the hot path: ``run(values)`` gives its rows as plain tuples."""

    def __init__(self, statement: Executable, column_keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: tuple[str, list[str], dict[str, Any], list[Processor], list[Processor]] | None = None

    def run(self, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run with ``values`` for the bound parameters; the rows come back with their types applied."""
        if db.engine.dialect.name != "sqlite":
            result = _core_connection().execute(self.statement, values)
            return [tuple(row) for row in result] if result.returns_rows else []
        sql, order, defaults, binds, results = self._compile(db.engine.dialect)
        arguments = []
        for name, bind in zip(order, binds, strict=True):
            value = values[name] if name in values else defaults[name]
            arguments.append(bind(value) if bind is not None else value)
        cursor = _driver_connection().execute(sql, arguments)
        rows = cursor.fetchall() if cursor.description else []
        return [tuple(p(v) if p is not None else v for p, v in zip(results, row, strict=True)) for row in rows]

    def _compile(self, dialect: Dialect) -> tuple[str, list[str], dict[str, Any], list[Processor], list[Processor]]:
        if self._compiled is None:
            compiled: Compiled = self.statement.compile(dialect=dialect, column_keys=self.column_keys)  # type: ignore[attr-defined]
            order = list(compiled.positiontup or [])  # type: ignore[attr-defined]
            parameters = compiled.binds  # type: ignore[attr-defined]
            binds = [parameters[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order]
            columns: Any = getattr(self.statement, "selected_columns", None) or getattr(
                self.statement, "exported_columns", ()
            )
            results = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
            self._compiled = (compiled.string, order, compiled.params, binds, results)
        return self._compiled


def _driver_connection() -> Any:
    found = g.get("_hot_driver")
    if found is None:
        found = g._hot_driver = db.engine.raw_connection()
        driver: Any = found.driver_connection
        g._hot_driver_level = driver.isolation_level
        driver.isolation_level = None  # autocommit; put back before the pool gets it
    return found.driver_connection


def execute(statement: Executable, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run a one-off statement (built per call, so not worth compiling once) as its own transaction; the rows
    it returns (a SELECT, or an UPDATE ... RETURNING) come back as plain tuples."""
    result = _core_connection().execute(statement, values)
    return [tuple(row) for row in result] if result.returns_rows else []


def _core_connection() -> Connection:
    found = g.get("_hot_core")
    if found is None:
        found = g._hot_core = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    return found  # type: ignore[no-any-return]


def _release(_error: BaseException | None = None) -> None:
    driver = g.pop("_hot_driver", None)
    if driver is not None:
        driver.driver_connection.isolation_level = g.pop("_hot_driver_level", "")
        driver.close()
    core = g.pop("_hot_core", None)
    if core is not None:
        core.close()
