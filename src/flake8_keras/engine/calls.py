"""The one argument binder: what a call passed for a parameter, its value and its expression.

Every reader of arguments (library hooks, layer objects, the file's own functions) asks the same
question the same way, so ``*args`` and ``**kwargs`` mean the same everywhere: a parameter that
may hide in them is Unknown, one that certainly was not passed is MISSING.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

from flake8_keras.engine.values import MISSING, UNKNOWN, Value
from flake8_keras.records import field, record


class _NoKeywords(dict[str, Any]):
    """An empty dict that refuses every change: one is shared by every call without keywords
    (half of a file's calls; a dict each was two allocations a call). A dict, not a
    ``MappingProxyType``, so that diagnostics holding it still pickle (the verifier's worker)."""

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("the keywords of a call without keywords are read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse
    setdefault = update = pop = popitem = clear = _refuse

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (_NoKeywords, ())  # unpickled empty, without calling __setitem__


NO_KEYWORDS: Mapping[str, Any] = _NoKeywords()


@record(frozen=True)
class CallArgs:
    """A call's evaluated arguments, with the expression each came from.

    Positional arguments stop at the first ``*args`` (later positions are not known);
    ``open_args``/``open_kwargs`` say that a ``*args``/``**kwargs`` was passed.
    """

    args: tuple[Value, ...] = ()
    kwargs: Mapping[str, Value] = field(default_factory=dict)
    open_args: bool = False
    open_kwargs: bool = False
    arg_nodes: Sequence[ast.expr] = ()  # the call node's own list, when it has no ``*args``
    kwarg_nodes: Mapping[str, ast.expr] = field(default_factory=dict)
    node: ast.Call | None = None  # the call itself (None for values built without one)

    def value(self, key: str, pos: int | None = None) -> Value:
        """The value passed for a parameter (``pos`` None: keyword-only); MISSING when certainly
        absent; UNKNOWN when it may be inside ``*args``/``**kwargs``."""
        kwargs = self.kwargs
        if kwargs:  # (half of the calls pass none: no lookup in the shared empty mapping)
            value = kwargs.get(key)  # one lookup: a keyword's value is never None
            if value is not None:
                return value
        if pos is not None:
            if pos < len(self.args):
                return self.args[pos]
            if self.open_args:
                return UNKNOWN
        return UNKNOWN if self.open_kwargs else MISSING

    def expression(self, key: str, pos: int | None = None) -> ast.expr | None:
        """The expression passed for a parameter, None when absent or not locatable."""
        if key in self.kwarg_nodes:
            return self.kwarg_nodes[key]
        if pos is not None and pos < len(self.arg_nodes):
            return self.arg_nodes[pos]
        return None

    @property
    def is_open(self) -> bool:
        return self.open_args or self.open_kwargs
