"""Confined loops (`codemod.flow`): when statement order proves a loop's variable is its own."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from codemod.analysis import ModuleAnalysis


def _reads(source: str) -> tuple[ModuleAnalysis, dict[str, cst.Name]]:
    """The analysis, and the reads of `x` marked `probe("label", x)` by label."""
    analysis = ModuleAnalysis.of(cst.parse_module(textwrap.dedent(source)))
    reads = {}
    for name in analysis._name_nodes:  # noqa: SLF001 - test helper
        call = analysis.parent(analysis.parent(name))
        if name.value == "x" and isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "probe":
            label = call.args[0].value
            assert isinstance(label, cst.SimpleString)
            reads[str(label.evaluated_value)] = name
    return analysis, reads


def _sees_loop(analysis: ModuleAnalysis, read: cst.Name) -> bool:
    referents = analysis.referents(read) or set()
    return any(isinstance(analysis.parent(getattr(r, "node", None)), cst.For) for r in referents)


def _count(analysis: ModuleAnalysis, read: cst.Name) -> int:
    return len(analysis.referents(read) or ())


def test_sibling_loops_are_variables_of_their_own() -> None:
    analysis, reads = _reads(
        """
        def f(a, b):
            for x in a:
                probe("first", x)
            for x in b:
                probe("second", x)
        """
    )
    assert _count(analysis, reads["first"]) == 1
    assert _count(analysis, reads["second"]) == 1


def test_an_assignment_after_the_loop_hides_it() -> None:
    analysis, reads = _reads(
        """
        def f(a):
            for x in a:
                probe("inside", x)
            x = 0
            probe("after", x)
        """
    )
    assert _count(analysis, reads["inside"]) == 1
    assert not _sees_loop(analysis, reads["after"])


@pytest.mark.parametrize(
    "source",
    [
        # read after the loop, nothing in between
        """
        def f(a):
            x = None
            for x in a:
                pass
            probe("r", x)
        """,
        # an assignment only on one path
        """
        def f(a, c):
            for x in a:
                pass
            if c:
                x = 1
            probe("r", x)
        """,
        # an enclosing loop over the same name does not hide an inner loop
        """
        def f(a, b):
            for x in a:
                for x in b:
                    pass
                probe("r", x)
        """,
        # an exception raised in the loop reaches the handler with the loop's value
        """
        def f(a):
            x = 0
            try:
                for x in a:
                    pass
            except ValueError:
                probe("r", x)
        """,
        # the else clause runs after the loop
        """
        def f(a):
            x = 0
            for x in a:
                pass
            else:
                probe("r", x)
        """,
    ],
)
def test_reads_that_may_see_the_loop_keep_every_binding(source: str) -> None:
    analysis, reads = _reads(source)
    assert _sees_loop(analysis, reads["r"])
    assert _count(analysis, reads["r"]) >= 2


@pytest.mark.parametrize(
    "source",
    [
        # the body binds the name again
        """
        def f(a):
            x = 0
            for x in a:
                x = str(x)
                probe("r", x)
        """,
        # a nested function reads it later
        """
        def f(a):
            x = 0
            for x in a:
                probe("r", x)
                callback = lambda: x
            return callback
        """,
        # declared global: other functions see it
        """
        def f(a):
            global x
            x = 0
            for x in a:
                probe("r", x)
        """,
    ],
)
def test_loops_that_are_not_confined_keep_every_binding(source: str) -> None:
    analysis, reads = _reads(source)
    assert _count(analysis, reads["r"]) >= 2


def test_a_module_level_loop_read_from_a_function_is_not_confined() -> None:
    analysis, reads = _reads(
        """
        x = 0
        for x in range(3):
            probe("r", x)

        def g():
            return x
        """
    )
    assert _count(analysis, reads["r"]) == 2
