"""Reading the arguments of SDK calls the transforms rewrite."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
import libcst.matchers as m

from codemod.transforms import build
from codemod.transforms.plan import Unsupported


def call_arguments(call: cst.Call, positional: tuple[str, ...], allowed: Iterable[str] | None = None) -> dict[str, cst.BaseExpression]:
    """The call's arguments by parameter name, or Unsupported for `*`/`**`, a positional argument
    beyond `positional`, and (when `allowed` is given) any other name or a genai `client=`.
    Without `allowed` every keyword is returned: the caller decides what each one means."""
    found: dict[str, cst.BaseExpression] = {}
    names = None if allowed is None else set(allowed)
    for index, arg in enumerate(call.args):
        if arg.star:
            raise Unsupported("arguments passed with * or ** cannot be read statically")
        key = arg.keyword.value if arg.keyword is not None else positional[index] if index < len(positional) else None
        if names is None:
            if key is None:
                raise Unsupported("unexpected positional argument")
        elif key == "client":
            raise Unsupported("a genai client passed with client= is not migrated")
        elif key is None or key not in names:
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
