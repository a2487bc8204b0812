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


def line_break(depth: int) -> cst.ParenthesizedWhitespace:
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
        args.append(arg.with_changes(value=value, comma=cst.Comma(whitespace_after=line_break(0 if last else 1))))
    return node.with_changes(args=args, whitespace_before_args=line_break(1))


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
        elements.append(element.with_changes(comma=cst.Comma(whitespace_after=line_break(depth if last else depth + 1))))
    return node.with_changes(elements=elements, lbracket=cst.LeftSquareBracket(whitespace_after=line_break(depth + 1)))


def _is_long_list(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.List) and len(node.elements) > 1 and len(code(node)) > MAX_INLINE // 2


def fitted(node: cst.BaseExpression, column: int, depth: int = 0, lead: int = 0) -> cst.BaseExpression:
    """Black's layout for what the migration writes, where lines would pass 88 columns: a call,
    list, dict or tuple whose one-line form does not fit has its contents on the next line when
    they fit there, else one element per line with a trailing comma, each laid out the same way.
    `column` is where the statement's indentation ends, `depth` how many levels in the node's
    line is, `lead` what stands before the node on that line (`messages=`); a node already
    spread over lines keeps its layout and only its elements are looked at."""
    spread = "\n" in code(node)
    if not spread and column + INDENT_WIDTH * depth + lead + len(code(node)) + 1 <= MAX_INLINE:
        return node
    items = _items(node)
    if items is None:
        return node
    if spread:
        return _with_items(node, [fitted(v, column, depth + 1, w) for v, w in items])
    inner = ", ".join(code(_item_code_node(node, i)) for i in range(len(items)))
    if column + INDENT_WIDTH * (depth + 1) + len(inner) <= MAX_INLINE:
        return _hugged(node, depth)
    return _spread(_with_items(node, [fitted(v, column, depth + 1, w) for v, w in items]), depth)


def _items(node: cst.BaseExpression) -> list[tuple[cst.BaseExpression, int]] | None:
    """The values a bracket holds and the width of what precedes each on its line; None for a
    node without brackets of its own to break inside."""
    if isinstance(node, cst.Call) and node.args and not any(a.star for a in node.args):
        return [(a.value, _keyword_width(a)) for a in node.args]
    if isinstance(node, (cst.List, cst.Tuple)) and node.elements and all(isinstance(e, cst.Element) for e in node.elements):
        if isinstance(node, cst.Tuple) and not node.lpar:
            return None
        return [(e.value, 0) for e in node.elements]
    if isinstance(node, cst.Dict) and node.elements and all(isinstance(e, cst.DictElement) for e in node.elements):
        return [(e.value, len(code(e.key)) + 2) for e in node.elements]  # type: ignore[union-attr]
    return None


def _entries(node: cst.BaseExpression) -> list[cst.CSTNode]:
    return list(node.args) if isinstance(node, cst.Call) else list(node.elements)  # type: ignore[attr-defined]


def _item_code_node(node: cst.BaseExpression, index: int) -> cst.CSTNode:
    return _entries(node)[index].with_changes(comma=cst.MaybeSentinel.DEFAULT)


def _with_items(node: cst.BaseExpression, values: list[cst.BaseExpression]) -> cst.BaseExpression:
    entries = [entry.with_changes(value=value) for entry, value in zip(_entries(node), values)]
    return node.with_changes(args=entries) if isinstance(node, cst.Call) else node.with_changes(elements=entries)


def _hugged(node: cst.BaseExpression, depth: int) -> cst.BaseExpression:
    """`[` + a line holding the contents + `]`: black's first try at splitting a line."""
    entries = _entries(node)
    last = entries[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if isinstance(node, cst.Call):
        last = last.with_changes(whitespace_after_arg=line_break(depth))
        return node.with_changes(args=[*entries[:-1], last], whitespace_before_args=line_break(depth + 1))
    elements = [*entries[:-1], last]
    if isinstance(node, cst.List):
        return node.with_changes(elements=elements, lbracket=cst.LeftSquareBracket(whitespace_after=line_break(depth + 1)), rbracket=cst.RightSquareBracket(whitespace_before=line_break(depth)))
    if isinstance(node, cst.Dict):
        return node.with_changes(elements=elements, lbrace=cst.LeftCurlyBrace(whitespace_after=line_break(depth + 1)), rbrace=cst.RightCurlyBrace(whitespace_before=line_break(depth)))
    return node.with_changes(elements=elements, lpar=[cst.LeftParen(whitespace_after=line_break(depth + 1))], rpar=[cst.RightParen(whitespace_before=line_break(depth))])


def _keyword_width(arg: cst.Arg) -> int:
    return len(arg.keyword.value) + 1 if arg.keyword is not None else 0


INDENT_WIDTH = len(INDENT)


def _spread(node: cst.BaseExpression, depth: int) -> cst.BaseExpression:
    """One element per line, each followed by a comma."""
    if isinstance(node, cst.Call):
        args = [
            arg.with_changes(comma=cst.Comma(whitespace_after=line_break(depth if index == len(node.args) - 1 else depth + 1)))
            for index, arg in enumerate(node.args)
        ]
        return node.with_changes(args=args, whitespace_before_args=line_break(depth + 1))
    assert isinstance(node, (cst.List, cst.Tuple, cst.Dict))
    elements = [
        element.with_changes(comma=cst.Comma(whitespace_after=line_break(depth if index == len(node.elements) - 1 else depth + 1)))
        for index, element in enumerate(node.elements)
    ]
    opened = {"lbracket": cst.LeftSquareBracket(whitespace_after=line_break(depth + 1))} if isinstance(node, cst.List) else {}
    if isinstance(node, cst.Dict):
        opened = {"lbrace": cst.LeftCurlyBrace(whitespace_after=line_break(depth + 1))}
    if isinstance(node, cst.Tuple):
        if not node.lpar:
            return node  # a bare tuple has no brackets to break inside
        opened = {"lpar": [cst.LeftParen(whitespace_after=line_break(depth + 1))]}
    return node.with_changes(elements=elements, **opened)
