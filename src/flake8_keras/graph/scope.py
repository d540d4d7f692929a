"""Name bindings while interpreting one module, function or method body."""

from __future__ import annotations

from dataclasses import dataclass, field

from flake8_keras.graph.values import UNKNOWN, Value


@dataclass
class Scope:
    vars: dict[str, Value] = field(default_factory=dict)
    parent: Scope | None = None
    # Attributes of ``self`` (subclassed models, trainer classes), shared by one class's methods.
    attrs: dict[str, Value] | None = None
    self_name: str | None = None
    returns: list[Value] = field(default_factory=list)
    # Function bodies see only definitions from the module, never its mutable state (models,
    # tensors), because a function may run at any point of the module.
    parent_filter: tuple[type, ...] | None = None

    def lookup(self, name: str) -> Value | None:
        if name in self.vars:
            return self.vars[name]
        if self.parent is not None:
            value = self.parent.lookup(name)
            if value is not None and self.parent_filter is not None:
                return value if isinstance(value, self.parent_filter) else UNKNOWN
            return value
        return None

    def bind(self, name: str, value: Value) -> None:
        self.vars[name] = value

    def rebind(self, name: str, value: Value) -> None:
        """Rebind a name where it lives (``model.add`` changes the model a name refers to)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                scope.vars[name] = value
                return
            scope = scope.parent
        self.vars[name] = value

    def snapshot(self) -> tuple[dict[str, Value], dict[str, Value] | None]:
        return dict(self.vars), None if self.attrs is None else dict(self.attrs)

    def restore(self, state: tuple[dict[str, Value], dict[str, Value] | None]) -> None:
        self.vars = dict(state[0])
        if state[1] is not None:
            self.attrs = dict(state[1])

    def merge(self, states: list[tuple[dict[str, Value], dict[str, Value] | None]]) -> None:
        """After branches: a name keeps its value only where every branch agrees."""
        self.vars = _merge_dicts([s[0] for s in states])
        attrs = [s[1] for s in states if s[1] is not None]
        if self.attrs is not None and attrs:
            self.attrs = _merge_dicts(attrs)


def _merge_dicts(dicts: list[dict[str, Value]]) -> dict[str, Value]:
    keys: set[str] = set().union(*dicts)
    merged: dict[str, Value] = {}
    for key in keys:
        values = [d.get(key) for d in dicts]
        first = values[0]
        merged[key] = first if first is not None and all(v is first for v in values) else UNKNOWN
    return merged
