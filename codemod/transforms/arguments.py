"""Reading the arguments of SDK calls the transforms rewrite."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
import libcst.matchers as m

from codemod.transforms import build
from codemod.transforms.plan import Unsupported


def call_arguments(call: cst.Call, positional: tuple[str, ...], allowed: Iterable[str]) -> dict[str, cst.BaseExpression]:
    """The call's arguments by parameter name, or Unsupported for `*`/`**` or unknown ones."""
    found: dict[str, cst.BaseExpression] = {}
    allowed = set(allowed)
    for index, arg in enumerate(call.args):
        if arg.star:
            raise Unsupported("arguments passed with * or ** cannot be read statically")
        key = arg.keyword.value if arg.keyword is not None else positional[index] if index < len(positional) else None
        if key == "client":
            raise Unsupported("a genai client passed with client= is not migrated")
        if key is None or key not in allowed:
            raise Unsupported(f"argument `{key or index}` is not migrated")
        found[key] = arg.value
    return found


def timeout_argument(value: cst.BaseExpression | None) -> list[cst.Arg]:
    """`request_options={"timeout": t}` → `timeout=t`; other request options are refused."""
    if value is None or m.matches(value, m.Name("None")):
        return []
    if m.matches(value, m.Dict(elements=[m.DictElement(key=m.SimpleString())])):
        element = value.elements[0]  # type: ignore[attr-defined]
        if element.key.evaluated_value == "timeout":
            return [build.kwarg("timeout", element.value)]
    raise Unsupported('request_options other than {"timeout": t} are not migrated')
