"""Name bindings while interpreting one module, function or method body.

Branches and loop bodies run on the live bindings with a journal of what they change, which is
undone afterwards: a branch costs what it changes, not the size of the scope (copying every
binding per ``if`` made 4,000 ``if`` statements quadratic).
"""

from __future__ import annotations

from flake8_keras.engine.values import UNKNOWN, Value, join, same
from flake8_keras.records import field, record

# What one branch changed: name -> its value at the end of the branch (``vars``, then ``attrs``).
Changes = tuple[dict[str, Value], dict[str, Value]]


@record
class _Journal:
    """The values names had before the branch first changed them (None: not bound then)."""

    vars: dict[str, Value | None] = field(default_factory=dict)
    attrs: dict[str, Value | None] = field(default_factory=dict)


@record
class Scope:
    vars: dict[str, Value] = field(default_factory=dict)
    parent: Scope | None = None
    # Attributes of ``self`` (subclassed models, trainer classes), shared by one class's methods.
    attrs: dict[str, Value] | None = None
    self_name: str | None = None
    returns: list[Value] = field(default_factory=list)
    # Function bodies see only definitions from the module (``Value.definition``), never its
    # changing state (models, tensors), because a function may run at any point of the module.
    definitions_only: bool = False
    _journals: list[_Journal] = field(default_factory=list, repr=False)
    # How many branches are open (to close the ones a failing statement left open): a field,
    # not a property, because the interpreter reads it before every statement.
    depth: int = field(default=0, repr=False)

    def lookup(self, name: str) -> Value | None:
        value = self.vars.get(name)  # one dict lookup: a bound name never holds None
        if value is not None:
            return value
        if self.parent is not None:
            value = self.parent.lookup(name)
            if value is not None and self.definitions_only:
                return value if value.definition else UNKNOWN
            return value
        return None

    def bind(self, name: str, value: Value) -> None:
        if self._journals:
            journal = self._journals[-1].vars
            if name not in journal:
                journal[name] = self.vars.get(name)
        self.vars[name] = value

    def set_attr(self, name: str, value: Value) -> None:
        """Bind ``self.<name>`` (ignored where there is no ``self``)."""
        if self.attrs is None:
            return
        if self._journals:
            journal = self._journals[-1].attrs
            if name not in journal:
                journal[name] = self.attrs.get(name)
        self.attrs[name] = value

    def rebind(self, name: str, value: Value) -> None:
        """Rebind a name where it lives (``model.add`` changes the model a name refers to)."""
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                scope.bind(name, value)
                return
            scope = scope.parent
        self.bind(name, value)

    def begin(self) -> None:
        """Start a branch: from here on, remember the value of each name before it changes."""
        self._journals.append(_Journal())
        self.depth += 1

    def end(self) -> Changes:
        """End a branch: undo what it changed and return the values it had at its end."""
        journal = self._journals.pop()
        self.depth -= 1
        changes: Changes = ({}, {})
        _undo(self.vars, journal.vars, changes[0])
        if self.attrs is not None:
            _undo(self.attrs, journal.attrs, changes[1])
        return changes

    def merge(self, branches: list[Changes]) -> int:
        """After branches: a name keeps what the values of every branch join to.

        A branch that did not change a name leaves it as it was before the branches. Returns
        how many names now hold a different value (0: a loop has reached its fixpoint).
        """
        changed = 0
        for index, bind, current in ((0, self.bind, self.vars), (1, self.set_attr, self.attrs)):
            if current is None:
                continue
            names: set[str] = set().union(*(b[index] for b in branches))
            for name in names:
                before = current.get(name)
                values = [b[index].get(name, before) for b in branches]
                merged = _join_all(values)
                if before is None or not same(merged, before):
                    bind(name, merged)
                    changed += 1
        return changed


def _join_all(values: list[Value | None]) -> Value:
    """The join of every branch's value; a name some branch leaves unbound is Unknown."""
    merged = values[0]
    for value in values[1:]:
        if merged is None or value is None:
            return UNKNOWN
        merged = join(merged, value)
    return UNKNOWN if merged is None else merged


def _undo(
    live: dict[str, Value], journal: dict[str, Value | None], changes: dict[str, Value]
) -> None:
    for name, before in journal.items():
        changes[name] = live[name]
        if before is None:
            del live[name]
        else:
            live[name] = before
