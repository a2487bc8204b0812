"""Small builders for the code the transforms emit."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

_NO_SPACE = cst.SimpleWhitespace("")


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value, keyword=cst.Name(name), equal=cst.AssignEqual(_NO_SPACE, _NO_SPACE))


def call(func: str, args: Sequence[cst.Arg]) -> cst.Call:
    return cst.Call(func=cst.parse_expression(func), args=list(args))


def method_call(receiver: cst.BaseExpression, path: str, args: Sequence[cst.Arg]) -> cst.Call:
    func: cst.BaseExpression = receiver
    for part in path.split("."):
        func = cst.Attribute(value=func, attr=cst.Name(part))
    return cst.Call(func=func, args=list(args))


def string(value: str) -> cst.SimpleString:
    return cst.SimpleString(repr(value).replace("'", '"') if '"' not in value else repr(value))


def env_lookup(variable: str) -> cst.BaseExpression:
    return cst.parse_expression(f'os.environ["{variable}"]')


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def statement(source: str) -> cst.BaseStatement:
    return cst.parse_statement(source)
