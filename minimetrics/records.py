"""``Record``: the base of the package's immutable records, a frozen dataclass made when first used.

Python 3.11 compiles six methods for each frozen dataclass (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): about half a millisecond a class
at every start, where most commands build a few of the package's eighty-odd records. So a
record is made a dataclass, with exactly ``@dataclass(frozen=True)``, the first time one is
built or unpickled, or its class is asked for a dataclass attribute (``dataclasses.fields``,
``is_dataclass``, ``inspect.signature``). Once made, it is a plain frozen dataclass: nothing
of this remains on the way to an instance.

Write ``class Period(Record):`` with annotated fields, as under ``@dataclass(frozen=True)``
(``field()`` included). Below everything else in the package: it imports none of it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, TypeVar, dataclass_transform

R = TypeVar("R")

_MAKING = threading.RLock()  # one record made at a time; the same thread makes a record's bases
_MADE: set[type] = set()  # the records made, or being made
_HELD: dict[type, object] = {}  # the __init__ of a record being made, shown once the rest is written


def _make(cls: type) -> bool:
    """Make ``cls`` a frozen dataclass if it is a record not yet made; False if nothing was to do.

    Its ``__init__`` is written last: until then, a thread building one finds ``Record``'s and
    waits here, so no thread ever sees a record half made.
    """
    with _MAKING:
        if cls in _MADE or cls is Record:
            return False
        _MADE.add(cls)
        _HELD[cls] = None
        try:
            dataclass(frozen=True)(cls)  # makes the record bases first (it asks them for their fields)
        except BaseException:
            _MADE.discard(cls)
            raise
        finally:
            held = _HELD.pop(cls)
        type.__setattr__(cls, "__init__", held)
        return True


def made(cls: type[R]) -> type[R]:
    """``cls``, made a frozen dataclass now if it is a record not yet made: for code that
    builds records without calling the class (``object.__new__``), which would otherwise
    build an instance of a class with no dataclass methods yet."""
    if "__init__" not in cls.__dict__:  # its own __init__ is the last thing a record gets when made
        _make(cls)
    return cls


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class _RecordType(type):
    """The metaclass of ``Record``: a frozen dataclass, made when first used."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        if any(base is not Record and isinstance(base, _RecordType) for base in bases):
            _make(cls)  # a record's subclass would otherwise build with its base's __init__

    def __setattr__(cls, name: str, value: object) -> None:
        if name == "__init__" and cls in _HELD:
            _HELD[cls] = value  # the dataclass's own, held back by _make
        else:
            super().__setattr__(name, value)

    def __getattr__(cls, name: str) -> Any:
        # Only what the class does not have reaches here: a dataclass attribute asked of a
        # record not yet made (``__dataclass_fields__``, ``__match_args__``, ``__signature__``).
        if name.startswith("__") and _make(cls):
            return getattr(cls, name)
        raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")


class Record(metaclass=_RecordType):
    """The base of every record: a frozen dataclass (see the module's docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Reached only while the record is not made: make it, then build as its dataclass does.
        cls = type(self)
        if not _make(cls) and cls.__init__ is Record.__init__:
            raise TypeError("Record is the base of the records, not a record")
        cls.__init__(self, *args, **kwargs)  # the dataclass's own, written just now

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Unpickling (and copy) builds an instance without __init__: the record is made here.
        # Its own __init__ is the last thing a record gets when made: while it has none, take the
        # lock (and wait for a thread making it); after, not (a cache loads records by the 100,000).
        if "__init__" not in type(self).__dict__:
            _make(type(self))
        self.__dict__.update(state)
