"""Which bindings of a name can reach a read: a small flow refinement of LibCST's scopes.

LibCST's scope analysis says every binding of a name in a scope may be what a read sees. For
straight-line code that is too much: after `r = a(); print(r.x); r = b(); print(r.y)` the
second read can only see `b()`. Walking back from the read through the statements before it
(then out of each enclosing block, up to the scope's own body), the first plain assignment of
the name kills every earlier one; assignments met on the way inside nested blocks (an `if`, a
`for`, a `with`) may or may not have run, so they are kept too. Where control can come back
or jump (a loop that binds the name, the handlers of a `try` that binds it), nothing is refined.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import BaseAssignment

_SCOPE_OWNERS = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module)
_LOOPS = (cst.For, cst.While)
_TRIES = (cst.Try, cst.TryStar)


def reaching(
    read: cst.Name, candidates: set[BaseAssignment], parents: Mapping[cst.CSTNode, cst.CSTNode]
) -> set[BaseAssignment]:
    """The bindings among `candidates` (all of the name's bindings in the read's scope) that
    can reach `read`."""
    if len(candidates) < 2:
        return candidates
    where = {id(getattr(c, "node", None)): c for c in candidates}
    around = {c: {id(a) for a in _ancestors(getattr(c, "node", read), parents)} for c in candidates}
    chain = _ancestors(read, parents)
    for child, node in zip([read, *chain], chain):
        jumps_back = isinstance(node, _LOOPS) or (isinstance(node, _TRIES) and child is not node.body)
        if jumps_back and any(id(node) in ids for ids in around.values()):
            return candidates
    found: set[BaseAssignment] = set()
    for node in chain:
        if isinstance(node, _SCOPE_OWNERS) and not isinstance(node, cst.Module):
            break
        block = parents.get(node)
        body = _body(block)
        if body is None or node not in body:
            continue
        for sibling in reversed(body[: body.index(node)]):
            inside = [c for c, ids in around.items() if id(sibling) in ids]
            found.update(inside)
            if inside and _assigns_plainly(sibling, where):
                return found
    return candidates


def _ancestors(node: cst.CSTNode, parents: Mapping[cst.CSTNode, cst.CSTNode]) -> list[cst.CSTNode]:
    chain = []
    current = parents.get(node)
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return chain


def _body(block: cst.CSTNode | None) -> Sequence[cst.CSTNode] | None:
    if isinstance(block, (cst.Module, cst.IndentedBlock)):
        return list(block.body)
    return None


def _assigns_plainly(statement: cst.CSTNode, where: Mapping[int, BaseAssignment]) -> bool:
    """`name = ...` (or `name: T = ...`, `name += ...`) as a whole small statement: it always runs."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        targets: list[cst.BaseExpression] = []
        if isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
        elif isinstance(small, (cst.AnnAssign, cst.AugAssign)) and (not isinstance(small, cst.AnnAssign) or small.value is not None):
            targets = [small.target]
        if any(id(t) in where for t in targets):
            return True
    return False
