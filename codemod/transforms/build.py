"""Small builders for the code the transforms emit."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

_NO_SPACE = cst.SimpleWhitespace("")


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value`; for the name `**`, `**value`."""
    if name == "**":
        return cst.Arg(value=value, star="**")
    return cst.Arg(value=value, keyword=cst.Name(name), equal=cst.AssignEqual(_NO_SPACE, _NO_SPACE))


def call(func: str, args: Sequence[cst.Arg]) -> cst.Call:
    return cst.Call(func=cst.parse_expression(func), args=list(args))


def method_call(receiver: cst.BaseExpression, path: str, args: Sequence[cst.Arg]) -> cst.Call:
    func: cst.BaseExpression = receiver
    for part in path.split("."):
        func = cst.Attribute(value=func, attr=cst.Name(part))
    return cst.Call(func=func, args=list(args))


def reference(name: str) -> cst.BaseExpression:
    """A name, or a dotted attribute path (`llm.client`)."""
    return cst.parse_expression(name) if "." in name else cst.Name(name)


def string(value: str) -> cst.SimpleString:
    return cst.SimpleString(repr(value).replace("'", '"') if '"' not in value else repr(value))


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def statement(source: str) -> cst.BaseStatement:
    return cst.parse_statement(source)


INDENT = "    "
MAX_INLINE = 88
MAX_INLINE_CALL = 60


def _line_break(depth: int) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(),
        indent=True,
        last_line=cst.SimpleWhitespace(INDENT * depth),
    )


def exploded_call(node: cst.Call) -> cst.Call:
    """The call with one argument per line (black's style) unless it is short.

    The call's own length is all that is known here (not its indentation or what follows it,
    such as `.choices[0].message.content`), so the bar is set well below black's 88 columns.
    """
    if len(code(node)) <= MAX_INLINE_CALL and not any(_is_long_list(a.value) for a in node.args):
        return node
    args = []
    for index, arg in enumerate(node.args):
        value = exploded_list(arg.value, 1) if isinstance(arg.value, cst.List) else arg.value
        last = index == len(node.args) - 1
        args.append(arg.with_changes(value=value, comma=cst.Comma(whitespace_after=_line_break(0 if last else 1))))
    return node.with_changes(args=args, whitespace_before_args=_line_break(1))


def shifted(node: cst.CSTNode, levels: int) -> cst.CSTNode:
    """The node with its line breaks indented `levels` more: for a call laid out one argument
    per line that starts on a continuation line of another bracket."""
    return node if levels <= 0 else node.visit(_Shift(INDENT * levels))


class _Shift(cst.CSTTransformer):
    def __init__(self, extra: str) -> None:
        super().__init__()
        self.extra = extra

    def leave_ParenthesizedWhitespace(self, original_node: cst.ParenthesizedWhitespace, updated_node: cst.ParenthesizedWhitespace) -> cst.ParenthesizedWhitespace:
        if not updated_node.indent:
            return updated_node
        return updated_node.with_changes(last_line=cst.SimpleWhitespace(self.extra + updated_node.last_line.value))


def exploded_list(node: cst.List, depth: int) -> cst.List:
    """One element per line when the list holds more than one element."""
    if not _is_long_list(node):
        return node
    elements = []
    for index, element in enumerate(node.elements):
        last = index == len(node.elements) - 1
        elements.append(element.with_changes(comma=cst.Comma(whitespace_after=_line_break(depth if last else depth + 1))))
    return node.with_changes(elements=elements, lbracket=cst.LeftSquareBracket(whitespace_after=_line_break(depth + 1)))


def _is_long_list(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.List) and len(node.elements) > 1 and len(code(node)) > MAX_INLINE // 2
