"""Which bindings of a name reach a read (codemod/reaching.py, through ModuleAnalysis.referents)."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
import pytest

from codemod.analysis import ModuleAnalysis


def _reaching_values(source: str) -> list[str]:
    """The values (as code) of the bindings of `x` that reach the read `use(x)`."""
    module = cst.parse_module(source)
    analysis = ModuleAnalysis.of(module)
    call = m.findall(module, m.Call(func=m.Name("use")))[0]
    read = call.args[0].value  # type: ignore[attr-defined]
    values = []
    for referent in analysis.referents(read) or ():
        value = analysis.assigned_value(referent)
        values.append(module.code_for_node(value) if value is not None else "?")
    return sorted(values)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\nx = 2\nuse(x)\n", ["2"]),
        ("x = 1\nuse(x)\nx = 2\n", ["1"]),
        ("x = 1\nif c:\n    x = 2\nuse(x)\n", ["1", "2"]),
        ("x = 1\nif c:\n    x = 2\nelse:\n    use(x)\n", ["1"]),
        ("if c:\n    x = 1\nelse:\n    x = 2\nuse(x)\n", ["1", "2"]),
        ("x = 1\nfor i in y:\n    x = 2\n    use(x)\n", ["1", "2"]),
        ("x = 1\nwhile use(x):\n    x = 2\n", ["1", "2"]),
        ("x = 1\ntry:\n    x = 2\nexcept E:\n    use(x)\n", ["1", "2"]),
        ("x = 1\ntry:\n    x = 2\n    use(x)\nexcept E:\n    pass\n", ["2"]),
        ("x = 1\nx = 2\ndef f():\n    use(x)\n", ["1", "2"]),
        ("x = 1\ndef f():\n    x = 2\n    x = 3\n    use(x)\n", ["3"]),
        ("x = 1\nwith c:\n    x = 2\nuse(x)\n", ["1", "2"]),
        ("x = 1\nx += 2\nuse(x)\n", ["?"]),
    ],
    ids=["later", "before", "if", "else", "both-branches", "loop", "next-turn", "try", "try-body", "function", "local", "with", "augmented"],
)
def test_only_reaching_bindings_are_referents(source: str, expected: list[str]) -> None:
    assert _reaching_values(source) == expected
