"""Secret detection: where a module (or any text file) holds an API key, and how it is used.

In Python the syntax tree tells a key from a look-alike: every string literal is tested against
the key shapes of `secrets.RULES`, and literals that flow into a *key position* (`api_key=...`,
`{"apiKey": ...}`, `os.environ["GOOGLE_API_KEY"] = ...`, an env-lookup default, a constant used
there) are classified as a key, a placeholder, or an unknown-shape credential. Comments and other
files are scanned with the patterns alone. The result is a list of `KeyHit`s; turning them into
findings is `key_finding`, taking keys out of the code is `transforms.keys`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace

import libcst as cst

from codemod.analysis import ModuleAnalysis, dotted_name, keyword_argument
from codemod.lines import line_and_column, line_starts
from codemod.secrets import (
    GENERIC_RULE_ID,
    NO_KEY_VALUES,
    PLACEHOLDER_RULE_ID,
    find_keys,
    is_api_key_name,
    is_fill_in,
    is_key_name,
    is_placeholder,
    key_rule,
    looks_like_credential,
)
from codemod.walk import children_of, visit

ENV_READS = frozenset({"os.getenv", "os.environ.get"})
_BEARER = re.compile(r"(?i)(?:bearer|token)\s+(\S+)")
_SPECIAL_TOKEN = re.compile(r"<\|[^|]*\|>|</?s>|\[[A-Z]+\]")  # a tokenizer's special tokens
ENV_WRITES = frozenset({"os.environ.setdefault", "os.putenv"})
ENV_CALLS = ENV_READS | ENV_WRITES
_ENV_FUNCTION_ENDINGS = tuple(sorted(name.split(".", 1)[1] for name in ENV_CALLS))  # `environ.get`, `getenv`...


class SlotKind(str, enum.Enum):
    """The kinds of key position."""

    ARGUMENT = "argument"  # f(api_key=...)
    DICT_VALUE = "dict-value"  # {"api_key": ...}
    ASSIGNMENT = "assignment"  # API_KEY = ..., openai.api_key = ...
    ENV_WRITE = "env-write"  # os.environ["X"] = ..., os.environ.setdefault("X", ...)
    ENV_DEFAULT = "env-default"  # os.getenv("X", ...)


@dataclass(frozen=True)
class Slot:
    """A key position a literal reaches: what to call it, and what a rewrite would edit."""

    kind: SlotKind
    where: str
    # The expression (or statement) a rewrite replaces: the literal itself, `x or "..."`,
    # the `os.getenv(...)` call, or the `os.environ[...] = ...` statement (None: not code).
    holder: cst.CSTNode | None
    # The environment variable the position itself names (`os.getenv("X", ...)`), if any.
    variable: str | None = None
    # The call the argument belongs to (`genai.configure`), for choosing the env variable.
    callee: str = ""
    # Is a placeholder here worth a note? Yes where a key is passed (`f(api_key="")`, a
    # constant used there, `openai.api_key = "sk-..."`); not where a variable named `token`
    # starts off empty, nor for the default of an env lookup.
    notes_placeholders: bool = False


@dataclass(frozen=True)
class KeyHit:
    """A key (or placeholder) found in a text. `value` stays in memory: never print it."""

    rule: str
    value: str
    line: int
    column: int
    node: cst.BaseExpression | None = None
    slot: Slot | None = None
    in_comment: bool = False
    # Where in the file, when the location alone does not say it (`cell 3` of a notebook).
    note: str = ""

    @property
    def is_placeholder(self) -> bool:
        return self.rule == PLACEHOLDER_RULE_ID


MAX_PIECES = 32  # a key is split in a few pieces; a long `+` chain is text, and costly to fold


def literal_text(node: cst.CSTNode | None, _depth: int = 0) -> str | None:
    """The value of a string literal without interpolation (concatenations and `"a" + "b"`
    included, up to `MAX_PIECES` deep), else None."""
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    if isinstance(node, cst.FormattedString) and all(isinstance(p, cst.FormattedStringText) for p in node.parts):
        return "".join(p.value for p in node.parts)  # type: ignore[union-attr]
    joined = isinstance(node, cst.ConcatenatedString) or (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add))
    if not joined or _depth > MAX_PIECES:
        return None
    left = literal_text(node.left, _depth + 1)  # type: ignore[union-attr]
    right = literal_text(node.right, _depth + 1) if left is not None else None  # type: ignore[union-attr]
    return None if left is None or right is None else left + right


# --- Python ------------------------------------------------------------------------------------


class KeyCollector(cst.CSTVisitor):
    """Whole string literals, and the nodes that can hold a key position. It can ride along on
    the analysis's walk (`ModuleAnalysis.of(module, also=(collector,))`), then go to
    `scan_python`."""

    def __init__(self) -> None:
        super().__init__()
        self.literals: list[cst.BaseExpression] = []
        self.calls: list[cst.Call] = []
        self.fallbacks: list[cst.BooleanOperation] = []
        self.parameters: list[cst.Param] = []
        self.dicts: list[cst.Dict] = []
        self.assignments: list[cst.Assign | cst.AnnAssign] = []
        self._inside_literal = 0
        self._sum: cst.BinaryOperation | None = None

    def _enter_literal(self, node: cst.BaseExpression) -> None:
        """A concatenation or an f-string counts once, as a whole, with none of its pieces."""
        if not self._inside_literal:
            self.literals.append(node)
        self._inside_literal += 1

    def _leave_literal(self, original_node: cst.BaseExpression) -> None:
        self._inside_literal -= 1

    visit_ConcatenatedString = visit_FormattedString = _enter_literal
    leave_ConcatenatedString = leave_FormattedString = _leave_literal

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if not self._inside_literal and literal_text(node) is not None:  # `"AIza" + "..."`: one literal
            self._sum = node
            self._enter_literal(node)

    def leave_BinaryOperation(self, original_node: cst.BinaryOperation) -> None:
        if original_node is self._sum:
            self._sum = None
            self._leave_literal(original_node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self._inside_literal:
            self.literals.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if isinstance(node.operator, cst.Or):
            self.fallbacks.append(node)

    def visit_Dict(self, node: cst.Dict) -> None:
        self.dicts.append(node)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self.parameters.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.assignments.append(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.assignments.append(node)


@dataclass(frozen=True)
class PythonScan:
    """What the scan of a module found: its hits, and the key position each literal reaches."""

    hits: tuple[KeyHit, ...]
    slots: dict[cst.BaseExpression, Slot]

    def hit_for(self, literal: cst.BaseExpression) -> KeyHit | None:
        return next((hit for hit in self.hits if hit.node is literal and hit.slot is not None), None)


def scan_python(analysis: ModuleAnalysis, collector: KeyCollector | None = None) -> PythonScan:
    """Every key, placeholder and unknown-shape credential of a parsed module, comments included.
    `collector`: one that already walked the module."""
    if collector is None:
        collector = KeyCollector()
        visit(analysis.module, collector)
    slots = _slotted_literals(analysis, collector)
    hits: list[KeyHit] = []
    for literal in collector.literals:
        hits.extend(_literal_hits(analysis, literal, slots.get(literal)))
    hits.extend(_comment_hits(analysis, collector.literals))
    return PythonScan(tuple(hits), slots)


def forced_hit(analysis: ModuleAnalysis, literal: cst.BaseExpression, slot: Slot) -> KeyHit:
    """A hit for a literal known to be a key whatever it looks like (`configure(api_key="...")`)."""
    value = literal_text(literal) or ""
    rule = key_rule(value)
    name = PLACEHOLDER_RULE_ID if is_placeholder(value) else rule.id if rule else GENERIC_RULE_ID
    return KeyHit(name, value, *_key_location(analysis, literal, value), node=literal, slot=slot)


def _literal_hits(analysis: ModuleAnalysis, literal: cst.BaseExpression, slot: Slot | None) -> list[KeyHit]:
    value = literal_text(literal)
    if value is None and isinstance(literal, cst.SimpleString) and isinstance(literal.evaluated_value, bytes):
        value, slot = literal.evaluated_value.decode("latin-1"), None  # b"AIza...": found, never rewritten
    if value is None:
        return _formatted_hits(analysis, literal)
    rule = _classify(value, slot) if slot is not None else None
    if rule is not None:
        return [KeyHit(rule, value, *_key_location(analysis, literal, value), node=literal, slot=slot)]
    return [
        KeyHit(match.rule.id, match.value, *_key_location(analysis, literal, match.value), node=literal)
        for match in find_keys(value)
    ]


def _formatted_hits(analysis: ModuleAnalysis, literal: cst.BaseExpression) -> list[KeyHit]:
    """Keys in the text parts of an f-string with placeholders (`f"...?key=AIza...&q={q}"`)."""
    hits = []
    for part in text_parts(literal):
        for match in find_keys(part.value):
            hits.append(KeyHit(match.rule.id, match.value, *_key_location(analysis, literal, match.value), node=literal))
    return hits


def text_parts(node: cst.CSTNode) -> list[cst.FormattedStringText | cst.SimpleString]:
    """The pieces of text a literal is written in (f-string text, each implicitly concatenated
    or `+`-joined string)."""
    if isinstance(node, (cst.FormattedStringText, cst.SimpleString)):
        return [node]
    return [part for child in children_of(node) for part in text_parts(child)]


def _classify(value: str, slot: Slot) -> str | None:
    """The rule of a literal in a key position: a key shape, a placeholder, an unknown-shape
    credential, or None (a short word such as `"ollama"`: nothing to report)."""
    rule = key_rule(value)
    if slot.kind in (SlotKind.ENV_DEFAULT, SlotKind.ENV_WRITE) and not _names_a_key(slot.variable, rule is not None):
        return None  # `os.getenv("MODEL", "gemini-2.0-flash")`
    if value.strip().lower() in NO_KEY_VALUES or _SPECIAL_TOKEN.fullmatch(value):
        return None  # `OpenAI(api_key="EMPTY")` for vLLM, `{"token": "<|endoftext|>"}`
    bearer = _BEARER.fullmatch(value)
    if bearer is not None:  # `{"Authorization": "Bearer ..."}`: a known shape is found by the patterns
        token = bearer.group(1)
        if is_placeholder(token):
            return PLACEHOLDER_RULE_ID if slot.notes_placeholders else None
        return GENERIC_RULE_ID if key_rule(token) is None and looks_like_credential(token) else None
    if is_placeholder(value):
        # `os.getenv("X", "")` reads an optional variable and `self.token = ""` starts a variable
        # off: neither passes a placeholder where a key is used. Where a key is only stored
        # (`ACCESS_KEY = "AWS_ACCESS_KEY_ID"`, `api_key or ""`), only a fill-in counts.
        if not slot.notes_placeholders:
            return None
        passed = slot.kind in (SlotKind.ARGUMENT, SlotKind.DICT_VALUE) and not isinstance(slot.holder, cst.BooleanOperation)
        direct = passed and slot.holder is not None
        return PLACEHOLDER_RULE_ID if direct or is_fill_in(value) else None
    if rule is not None:
        return rule.id
    return GENERIC_RULE_ID if looks_like_credential(value) else None


def env_setting_hit(variable: str, value: str, line: int, column: int, where: str) -> KeyHit | None:
    """A key given to an environment variable outside Python code (`%env GEMINI_API_KEY=...`)."""
    slot = Slot(SlotKind.ENV_WRITE, where, None, variable)
    rule = _classify(value, slot)
    return None if rule is None else KeyHit(rule, value, line, column, slot=slot)


def _names_a_key(variable: str | None, key_shaped: bool) -> bool:
    """Is an environment variable (read or written) a key's: named like one, or given a key?"""
    return variable is None or is_key_name(variable) or key_shaped


def _key_location(analysis: ModuleAnalysis, literal: cst.BaseExpression, key: str) -> tuple[int, int]:
    """Where `key` starts in the source: inside the literal when it is spelled there verbatim."""
    start = analysis.position(literal).start
    code = analysis.module.code_for_node(literal)
    offset = code.find(key) if key else -1
    if offset < 0:
        first = next(iter(text_parts(literal)), None)  # a key in pieces: where its text begins
        if isinstance(first, cst.SimpleString):
            begin = analysis.position(first).start
            return begin.line, begin.column + len(first.prefix) + len(first.quote)
        return start.line, start.column
    line, column = line_and_column(line_starts(code), offset)
    return start.line + line - 1, column + (start.column if line == 1 else 0)


def _slotted_literals(analysis: ModuleAnalysis, collector: KeyCollector) -> dict[cst.BaseExpression, Slot]:
    """Each literal that reaches a key position, with that position."""
    found: dict[cst.BaseExpression, Slot] = {}
    constants = _literal_constants(collector)
    for value, slot in _slots(analysis, collector):
        for literal, reached in _reaching_literals(analysis, value, slot, constants):
            found.setdefault(literal, reached)
    return found


def _slots(analysis: ModuleAnalysis, collector: KeyCollector) -> list[tuple[cst.BaseExpression, Slot]]:
    slots = []
    for call in collector.calls:
        slots.extend(_call_slots(analysis, call))
    for dictionary in collector.dicts:
        writes_environ = _updates_environ(analysis, dictionary)
        for element in dictionary.elements:
            key = literal_text(element.key) if isinstance(element, cst.DictElement) else None
            if writes_environ and key is not None:  # `os.environ.update({"X": ...})`: reported only
                slots.append((element.value, Slot(SlotKind.ENV_WRITE, f'os.environ.update({{"{key}": ...}})', None, key)))
            elif key is not None and is_key_name(key):
                slots.append((element.value, Slot(SlotKind.DICT_VALUE, f'"{key}": ...', element.value, notes_placeholders=True)))
    for assignment in collector.assignments:
        slots.extend(_assignment_slots(analysis, assignment))
    for parameter in collector.parameters:
        name = parameter.name.value
        if is_key_name(name) and parameter.default is not None:  # reported, never rewritten: it runs at def time
            slots.append((parameter.default, Slot(SlotKind.ARGUMENT, f"the default of parameter {name}", None)))
    for fallback in collector.fallbacks:
        variable = env_read_variable(analysis, fallback.left)
        if variable is not None and is_key_name(variable) and literal_text(fallback.right) is not None:
            where = f'the fallback of a read of {variable}'
            slots.append((fallback.right, Slot(SlotKind.ENV_DEFAULT, where, fallback, variable, notes_placeholders=True)))
    return slots


def _updates_environ(analysis: ModuleAnalysis, dictionary: cst.Dict) -> bool:
    """Is this dict written into the environment (`os.environ.update({...})`, `os.environ |= {...}`)?"""
    parent = analysis.parent(dictionary)
    if isinstance(parent, cst.Arg):
        call = analysis.parent(parent)
        return isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "update" and _is_environ(analysis, call.func.value)
    return isinstance(parent, cst.AugAssign) and _is_environ(analysis, parent.target)


def env_read_variable(analysis: ModuleAnalysis, node: cst.BaseExpression) -> str | None:
    """`X` for `os.getenv("X")`, `os.environ.get("X")` or `os.environ["X"]`, else None."""
    if isinstance(node, cst.Call) and node.args and _callee(analysis, node) in ENV_READS:
        return literal_text(node.args[0].value)
    if isinstance(node, cst.Subscript) and _is_environ(analysis, node.value):
        return _subscript_key(node)
    return None


def _is_environ(analysis: ModuleAnalysis, node: cst.BaseExpression) -> bool:
    """Is `node` `os.environ` (however os was imported)? Scopes only for a name ending so."""
    return dotted_name(node).rsplit(".", 1)[-1] == "environ" and "os.environ" in analysis.qualified_names(node)


def _call_slots(analysis: ModuleAnalysis, call: cst.Call) -> list[tuple[cst.BaseExpression, Slot]]:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    default = [arg for arg in call.args if arg.keyword is not None and arg.keyword.value in ("default", "value")]
    if len(positional) == 1 and len(default) == 1 and len(call.args) == 2:
        positional = [positional[0], default[0]]  # `os.getenv("X", default="...")`
    two = len(positional) == 2 and len(call.args) == 2
    callee = _callee(analysis, call) if two else dotted_name(call.func)  # scopes only where needed
    if two and callee in ENV_CALLS:
        variable = literal_text(positional[0].value)
        kind = SlotKind.ENV_DEFAULT if callee in ENV_READS else SlotKind.ENV_WRITE
        small = analysis.parent(call)  # `x = os.environ.setdefault(...)` uses the value: not deleted
        holder = call if kind is SlotKind.ENV_DEFAULT else _env_write_statement(analysis, small, variable) if isinstance(small, cst.Expr) else None
        where = f'{callee}("{variable}", ...)' if variable else f"{callee}(...)"
        # `os.getenv("GEMINI_API_KEY", "YOUR_KEY")` sends the placeholder when the variable is
        # unset; `os.getenv("GEMINI_API_KEY", "")` is how code reads an optional variable.
        notes = kind is SlotKind.ENV_DEFAULT and literal_text(positional[1].value) != ""
        return [(positional[1].value, Slot(kind, where, holder, variable, callee, notes_placeholders=notes))]
    short = callee.rsplit(".", 1)[-1] or "a call"
    if short == "add_argument":
        return _option_default_slots(call)
    if short == "update" and isinstance(call.func, cst.Attribute) and _is_environ(analysis, call.func.value):
        return [  # `os.environ.update(X="...")`: reported only
            (arg.value, Slot(SlotKind.ENV_WRITE, f"os.environ.update({arg.keyword.value}=...)", None, arg.keyword.value))
            for arg in call.args
            if arg.keyword is not None
        ]
    return [
        (arg.value, Slot(SlotKind.ARGUMENT, f"{short}({arg.keyword.value}=...)", arg.value, callee=callee, notes_placeholders=True))
        for arg in call.args
        if arg.keyword is not None and is_key_name(arg.keyword.value)
    ]


def _env_write_statement(analysis: ModuleAnalysis, node: cst.CSTNode, variable: str | None) -> cst.CSTNode | None:
    """What a rewrite may delete for an env write (`node`: the small statement doing it): its
    line, or the statement alone when the line holds others; only for a named variable
    (`for name in ...: os.environ[name] = ...` writes who knows what: reported only)."""
    statement = analysis.statement_of(node)
    if variable is None or not isinstance(statement, cst.SimpleStatementLine) or node not in statement.body:
        return None
    return statement if len(statement.body) == 1 else node  # `import os; os.environ[...] = ...`


def _option_default_slots(call: cst.Call) -> list[tuple[cst.BaseExpression, Slot]]:
    """`parser.add_argument("--api-key", default="...")`: reported, not rewritten (the default
    is read when the parser is built, and `--api-key` may be how the key is meant to come)."""
    names = [literal_text(arg.value) or "" for arg in call.args if arg.keyword is None]
    option = next((name for name in names if is_key_name(name.lstrip("-"))), None)
    default = keyword_argument(call, "default")
    if option is None or default is None:
        return []
    return [(default, Slot(SlotKind.ARGUMENT, f"the default of option {option}", None))]


def _callee(analysis: ModuleAnalysis, call: cst.Call) -> str:
    """What is called: the qualified name of an env function (`os.getenv`, however imported),
    else the dotted name as written. Scopes are only consulted for a name an env function has."""
    dotted = dotted_name(call.func)
    if not dotted.endswith(_ENV_FUNCTION_ENDINGS):  # `d.get(k, v)` is no env read: no scopes needed
        return dotted
    return next(iter(sorted(ENV_CALLS & analysis.qualified_names(call.func))), dotted)


def _assignment_slots(analysis: ModuleAnalysis, assignment: cst.Assign | cst.AnnAssign) -> list[tuple[cst.BaseExpression, Slot]]:
    targets = _targets(assignment)
    value = assignment.value
    assert value is not None
    slots = []
    for target in targets:
        if isinstance(target, cst.Subscript) and _is_environ(analysis, target.value):
            variable = _subscript_key(target)
            where = f'os.environ["{variable}"] = ...' if variable else "os.environ[...] = ..."
            # `os.environ["X"] = KEY = "..."` also binds KEY: deleting the statement is not ours.
            holder = _env_write_statement(analysis, assignment, variable) if len(targets) == 1 else None
            slots.append((value, Slot(SlotKind.ENV_WRITE, where, holder, variable, "os.environ")))
            continue
        if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
            pairs = [(t.value, v.value) for t, v in zip(target.elements, value.elements)]  # `API_KEY, MODEL = "...", "..."`
        else:
            pairs = [(target, value)]
        for one_target, one_value in pairs:
            slots.extend(_named_assignment_slots(one_target, one_value))
    return slots


def _named_assignment_slots(target: cst.BaseExpression, value: cst.BaseExpression) -> list[tuple[cst.BaseExpression, Slot]]:
    name = _target_name(target)
    if name is None or not is_key_name(name):
        return []
    where = f"{dotted_name(target) or name} = ..."
    default = _field_default(value)
    if default is not None:  # `api_key: str = field(default="...")`: reported, not rewritten
        return [(default, Slot(SlotKind.ASSIGNMENT, where, None))]
    notes = is_api_key_name(name) and literal_text(value) != ""
    return [(value, Slot(SlotKind.ASSIGNMENT, where, value, notes_placeholders=notes))]


def _field_default(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The `default=` of a dataclass `field(...)` or a pydantic `Field(...)`."""
    if not isinstance(value, cst.Call) or dotted_name(value.func).rsplit(".", 1)[-1] not in ("field", "Field"):
        return None
    return keyword_argument(value, "default")


def _subscript_key(target: cst.Subscript) -> str | None:
    if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        return literal_text(target.slice[0].slice.value)
    return None


def _target_name(target: cst.BaseExpression) -> str | None:
    if isinstance(target, cst.Name):
        return target.value
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript):
        return _subscript_key(target)
    return None


def _targets(assignment: cst.Assign | cst.AnnAssign) -> list[cst.BaseExpression]:
    return [t.target for t in assignment.targets] if isinstance(assignment, cst.Assign) else [assignment.target]


def _literal_constants(collector: KeyCollector) -> frozenset[str]:
    """The names some plain assignment (`NAME = "..."`, `NAME: str = x or "..."`) gives a value
    `_reaching_literals` follows: the only names whose reads can reach a literal (reads of
    other names need no scopes to be ruled out)."""
    found = set()
    for assignment in collector.assignments:
        targets = _targets(assignment)
        value = assignment.value
        if len(targets) == 1 and isinstance(targets[0], cst.Name) and value is not None:
            if literal_text(value) is not None or isinstance(value, cst.BooleanOperation):
                found.add(targets[0].value)
    return frozenset(found)


def _reaching_literals(
    analysis: ModuleAnalysis, value: cst.BaseExpression, slot: Slot, constants: frozenset[str]
) -> list[tuple[cst.BaseExpression, Slot]]:
    """The literals `value` may be: itself, the fallback of `x or "..."`, or a constant's value
    (`constants`: see `_literal_constants`)."""
    if literal_text(value) is not None:
        return [(value, slot)]
    if isinstance(value, cst.IfExp):  # `"AIza..." if dev else os.environ["K"]`: each branch on its own
        return [
            found
            for branch in (value.body, value.orelse)
            for found in _reaching_literals(analysis, branch, replace(slot, holder=branch if slot.holder is value else slot.holder), constants)
        ]
    if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or) and literal_text(value.right) is not None:
        holder = value if slot.holder is value else slot.holder
        variable = env_read_variable(analysis, value.left) or slot.variable  # `os.getenv("X") or "..."`
        return [(value.right, Slot(slot.kind, f"{slot.where} (fallback)", holder, variable, slot.callee, slot.notes_placeholders))]
    if isinstance(value, cst.Name) and slot.kind in (SlotKind.ARGUMENT, SlotKind.DICT_VALUE, SlotKind.ASSIGNMENT) and value.value in constants:
        reached = []
        for assigned in analysis.values_of_name(value) or []:
            through = Slot(SlotKind.ASSIGNMENT, f"{value.value}, used in {slot.where}", assigned, callee=slot.callee, notes_placeholders=True)
            if literal_text(assigned) is not None or isinstance(assigned, cst.BooleanOperation):
                reached.extend(_reaching_literals(analysis, assigned, through, constants))
        return reached
    return []


def _comment_hits(analysis: ModuleAnalysis, literals: list[cst.BaseExpression]) -> list[KeyHit]:
    """Keys in comments (or anywhere outside a string literal), found with the patterns."""
    found = text_key_hits(analysis.source)
    if not found:
        return []
    spans = [analysis.position(literal) for literal in literals]
    hits = []
    for hit in found:
        inside = any((s.start.line, s.start.column) <= (hit.line, hit.column) < (s.end.line, s.end.column) for s in spans)
        if not inside:
            hits.append(KeyHit(hit.rule, hit.value, hit.line, hit.column, in_comment=True))
    return hits


# --- any text ----------------------------------------------------------------------------------


def text_key_hits(text: str) -> list[KeyHit]:
    """Keys in any text (a `.env`, YAML, Markdown, a notebook's JSON), by pattern, with 1-based
    line and 0-based column."""
    matches = find_keys(text)
    if not matches:
        return []
    starts = line_starts(text)
    return [KeyHit(match.rule.id, match.value, *line_and_column(starts, match.start)) for match in matches]
