"""genai's Files API: a local file uploaded with `upload_file` and sent as a part → its bytes inline.

The OpenAI-compatible endpoint has no Files API; it takes a file's content inline. genai read the
file when `upload_file` ran, so the migrated code reads it at the same place:
`f = genai.upload_file("organ.jpg")` becomes `f = {"mime_type": "image/jpeg", "data":
pathlib.Path("organ.jpg").read_bytes()}`, the blob dict genai itself accepted as a part, and each
part `f` becomes the matching OpenAI content part (`parts.py`). What only an uploaded file needed
goes: the loop waiting while its state is PROCESSING, the check that it did not fail, its deletion.

The mime type must be known statically, since it chooses the part: a literal `mime_type=`, else
the extension of a file name the source spells, mapped as genai did (`mimetypes.guess_type`).
An upload that is not a local path, has no OpenAI content part (video...), or whose file is used
any other way (`f.uri`, printed, returned, listed with `list_files`) stays on genai with a TODO.
So does a file that a call kept on genai sends (`count_tokens`...): genai would get inline bytes
instead of its upload. That is known once the models are planned, so `plan_files` then has the
module planned again, with the decision remembered for its analysis.
"""

from __future__ import annotations

import dataclasses
import posixpath
import weakref
from typing import Callable, TypeVar

import libcst as cst
import libcst.matchers as m
from libcst.helpers import parse_template_expression
from libcst.metadata import BaseAssignment

from codemod.analysis import ModuleAnalysis, Statement
from codemod.ftypes import Kind
from codemod.transforms import build
from codemod.transforms.plan import Plan, Unsupported
from codemod.walk import descendants

T = TypeVar("T")
UPLOAD = "upload_file"
# What `upload_file` took besides the path; `name=` names the file on Google's servers (below).
UPLOAD_OPTIONS = ("mime_type", "name", "display_name", "resumable")

# genai's rule: `mimetypes.guess_type(path)`, after `mimetypes.add_type("image/webp", ".webp")`,
# else ValueError. The system's mime.types (or Windows' registry) may add or change entries, so
# only extensions every Python's own table maps alike are known here, each to a type that has an
# OpenAI content part. Python 3.13 calls .wav `audio/vnd.wave`: the same input_audio part.
EXTENSION_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".mp3": "audio/mpeg",
    ".wav": "audio/x-wav",
}
VIDEO_EXTENSIONS = frozenset({".mp4", ".mpeg", ".mpg", ".mpe", ".mov", ".qt", ".avi", ".webm", ".flv", ".wmv", ".3gp", ".mkv", ".m4v"})
# Extensions mimetypes reads as a compression or an alias, not as the file's type.
WRAPPING_EXTENSIONS = frozenset({".gz", ".z", ".bz2", ".xz", ".br", ".svgz", ".tgz", ".taz", ".tz", ".tbz2", ".txz"})
PATH_CLASSES = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath", "pathlib.PurePosixPath", "pathlib.PureWindowsPath"}
)
PATH_METHODS = frozenset({"resolve", "absolute", "expanduser", "with_name", "with_suffix"})
# Calls whose contents (first argument, or these keywords) genai turned into parts.
SENDERS = frozenset({"generate_content", "generate_content_async", "send_message", "send_message_async", "count_tokens", "count_tokens_async", "start_chat"})
CONTENT_KEYWORDS = frozenset({"contents", "content", "history"})

SENT_BY_GENAI = "a {method}(...) call that stays on genai sends it ({why}), and genai would get the bytes inline instead of the uploaded file"
WAIT_ADVICE = (
    "genai's Files API has no OpenAI-compatible equivalent: this waits while genai processes an uploaded file, "
    "which a file sent inline does not need: keep it, and genai, while the upload stays on genai"
)
NAME_KEYWORD = m.MatchIfTrue(lambda keyword: keyword is None or keyword.value == "name")  # `f.name` or `name=f.name`
FILES_API = (
    "genai's Files API has no OpenAI-compatible equivalent: the endpoint takes a file's bytes inline, "
    'as the part {"mime_type": m, "data": pathlib.Path(p).read_bytes()} read where genai uploaded it'
)


@dataclasses.dataclass(frozen=True)
class Inline:
    """An upload whose file is sent inline: read at the upload, sent where it was a part."""

    call: cst.Call
    path: cst.BaseExpression
    mime_type: str
    uses: Uses


@dataclasses.dataclass(frozen=True)
class Uses:
    """Where an uploaded file goes when nothing but genai's parts and its own upkeep reads it."""

    parts: frozenset[cst.Name] = frozenset()  # reads of the file's name that are parts of contents
    removed: tuple[Statement, ...] = ()  # statements only an uploaded file needed
    waits: frozenset[cst.Call] = frozenset()  # the get_file calls of its waiting loops
    senders: frozenset[cst.Call] = frozenset()  # the genai calls that send it


@dataclasses.dataclass(frozen=True)
class Kept:
    """An upload that stays on genai, and why."""

    call: cst.Call
    reason: str


# Decisions by analysis: made once, changed only by `_keep_uploads_sent_by_genai`.
_DECIDED: weakref.WeakKeyDictionary[ModuleAnalysis, dict[cst.Call, Inline | Kept]] = weakref.WeakKeyDictionary()


# ----------------------------------------------------------------- what other transforms ask
def uploads(analysis: ModuleAnalysis) -> dict[cst.Call, Inline | Kept]:
    """What becomes of each `genai.upload_file(...)` call of the module (decided once)."""
    if analysis not in _DECIDED:
        names = {reference: analysis.sdk_name(reference) for reference in analysis.sdk_references()}
        calls = [analysis.parent(reference) for reference, name in names.items() if name == UPLOAD]
        lists_files = "list_files" in names.values()
        _DECIDED[analysis] = {c: _decide(c, analysis, lists_files) for c in calls if isinstance(c, cst.Call)}
    return _DECIDED[analysis]


def is_inlined(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """An `upload_file` whose file is sent inline, or a `get_file` of its waiting loop."""
    upload = uploads(analysis).get(call)
    if upload is not None:
        return isinstance(upload, Inline)
    return any(call in u.uses.waits for u in uploads(analysis).values() if isinstance(u, Inline))


def inline_part(part: cst.BaseExpression, analysis: ModuleAnalysis) -> list[cst.BaseExpression] | None:
    """The mime type and data of an uploaded file sent inline, when `part` is one: the upload
    itself (`[genai.upload_file("a.png")]`) or a read of the name it is bound to."""
    decided = uploads(analysis)
    upload = decided.get(part) if isinstance(part, cst.Call) else None
    if isinstance(upload, Inline):
        return [build.string(upload.mime_type), read_bytes(upload.path)]
    if isinstance(part, cst.Name) and any(isinstance(u, Inline) and part in u.uses.parts for u in decided.values()):
        return [_key(part, "mime_type"), _key(part, "data")]
    return None


def plan_files(plan: Plan) -> bool:
    """Uploads sent inline become blob dicts and lose their waiting loops; the others are marked.

    False when a call that sends an inlined file stays on genai (the model migration kept it): genai
    would then get the bytes inline rather than the uploaded file, so that upload stays uploaded
    from now on and the module must be planned again."""
    if _keep_uploads_sent_by_genai(plan):
        return False
    for call, upload in uploads(plan.analysis).items():
        if isinstance(upload, Kept):
            plan.mark(call, Kind.MANUAL_MIGRATION, f"this upload stays on genai: {upload.reason}; {FILES_API}")
            plan.explained.add(call.func)
            continue
        plan.replace(call, lambda _, upload=upload: plan.with_edits(_blob(upload)))
        for statement in upload.uses.removed:
            plan.replace_statement(statement, lambda _: cst.RemovalSentinel.REMOVE)
        plan.imports.add(("pathlib", None))
    for call in _processing_waits(plan.analysis):
        plan.mark(call, Kind.MANUAL_MIGRATION, WAIT_ADVICE)
        plan.explained.add(call.func)
    return True


def _keep_uploads_sent_by_genai(plan: Plan) -> bool:
    """Turn inline uploads that a call kept on genai sends into kept ones; True if any was."""
    decided = uploads(plan.analysis)
    changed = False
    for upload in [u for u in decided.values() if isinstance(u, Inline)]:
        staying = [c for c in upload.uses.senders if c not in plan.node_edits]
        if staying:
            first = min(staying, key=lambda call: plan.analysis.position(call).start.line)
            why = plan.todos.get(plan.analysis.statement_of(first), ["see the TODOs of its model"])[0]
            decided[upload.call] = Kept(upload.call, SENT_BY_GENAI.format(method=first.func.attr.value, why=why))  # type: ignore[attr-defined]
            changed = True
    return changed


def _processing_waits(analysis: ModuleAnalysis) -> list[cst.Call]:
    """`get_file` calls, not of a file sent inline, whose result a PROCESSING loop tests."""
    calls = [analysis.parent(r) for r in analysis.sdk_references() if analysis.sdk_name(r) == "get_file"]
    return [c for c in calls if isinstance(c, cst.Call) and not is_inlined(c, analysis) and _tested_while_processing(c, analysis)]


def _tested_while_processing(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    assign = analysis.parent(call)
    target = assign.targets[0].target if isinstance(assign, cst.Assign) and len(assign.targets) == 1 else None
    if not isinstance(target, cst.Name):
        return False
    waiting = m.While(test=_state(target.value, "PROCESSING", m.Equal()))
    if any(m.matches(loop, waiting) for loop in analysis.ancestors(call)):
        return True  # the refetch inside the loop
    return any(m.matches(loop, waiting) and read in descendants(loop.test) for read in analysis.references(target) for loop in analysis.ancestors(read))  # type: ignore[attr-defined]


# ----------------------------------------------------------------- deciding
def _decide(call: cst.Call, analysis: ModuleAnalysis, lists_files: bool) -> Inline | Kept:
    """Inline when nothing stands in the way; else Kept with every reason, so one TODO says all."""
    try:
        arguments = _arguments(call)
    except Unsupported as error:
        return Kept(call, str(error))
    reasons: list[str] = []
    if "name" in arguments:
        reasons.append("name= names the file on Google's servers, where other runs may fetch it with genai.get_file")
    if lists_files:
        reasons.append("this module lists the files uploaded with genai (genai.list_files), and a file sent inline is not among them")
    if analysis.binds_otherwise("pathlib", "pathlib"):
        reasons.append("this module binds `pathlib` to something else, and the inline bytes are read with it")
    mime_type = _attempt(lambda: upload_mime_type(arguments.get("mime_type"), arguments["path"], analysis), reasons)
    uses = _attempt(lambda: _file_uses(call, analysis), reasons)
    if reasons or uses is None or mime_type is None:
        return Kept(call, "; ".join(reasons))
    return Inline(call, arguments["path"], mime_type, uses)


def _attempt(step: Callable[[], T], reasons: list[str]) -> T | None:
    """`step()`, or None with the reason it raised (Unsupported) added to `reasons`."""
    try:
        return step()
    except Unsupported as error:
        reasons.append(str(error))
        return None


def _arguments(call: cst.Call) -> dict[str, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        key = arg.keyword.value if arg.keyword is not None else "path" if index == 0 else None
        if arg.star or key not in ("path", *UPLOAD_OPTIONS):
            raise Unsupported("upload_file arguments genai2openai cannot read")
        found[key] = arg.value  # type: ignore[index]
    if m.matches(found.get("mime_type"), m.Name("None")):
        del found["mime_type"]
    if "path" not in found:
        raise Unsupported("upload_file without a path")
    return found


# ----------------------------------------------------------------- the mime type
def upload_mime_type(given: cst.BaseExpression | None, path: cst.BaseExpression, analysis: ModuleAnalysis) -> str:
    """genai's mime type for the upload, known statically and with an OpenAI content part."""
    from codemod.transforms.parts import blob_kind  # parts.py asks this module about uploads

    if given is None:
        mime_type = _guessed(path, analysis)
    elif not _is_path(path, analysis):
        raise Unsupported("its path may be a file object (genai read those too): genai2openai reads the bytes of local paths only")
    else:
        mime_type = _literal(given, analysis)
    if mime_type.startswith("video/"):
        raise Unsupported(f"video ({mime_type}) has no OpenAI content part")
    if blob_kind(mime_type) is None:
        raise Unsupported(f"{mime_type} has no OpenAI content part (inline data goes as images, wav/mp3 audio or PDFs)")
    return mime_type


def _literal(given: cst.BaseExpression, analysis: ModuleAnalysis) -> str:
    """The mime type, a literal wherever it comes from (names, callers' arguments)."""
    values = analysis.sources(given) or [given]
    literals = {v.evaluated_value if isinstance(v, cst.SimpleString) else None for v in values}
    if len(literals) != 1 or not isinstance(next(iter(literals)), str):
        raise Unsupported("its mime_type is not a literal, so genai2openai cannot tell which OpenAI content part the file needs")
    return str(literals.pop())


def _guessed(path: cst.BaseExpression, analysis: ModuleAnalysis) -> str:
    """genai guessed the type from the file name's extension: the same for every value the path
    may have, or Unsupported."""
    sources = analysis.sources(path) or [path]
    extensions = {_extension(source, analysis) for source in sources}
    if None in extensions or len(extensions) != 1:
        raise Unsupported("genai guessed its mime type from a path known only at run time: pass upload_file a literal mime_type=, then run genai2openai again")
    extension = str(extensions.pop())
    if extension in VIDEO_EXTENSIONS:
        raise Unsupported(f"video ({extension}) has no OpenAI content part")
    if extension not in EXTENSION_TYPES:
        shown = f"a {extension} file" if extension else "a file without an extension"
        raise Unsupported(
            f"genai guessed the mime type of {shown} when the program ran, and genai2openai sends inline only "
            "images, wav/mp3 audio and PDFs (pass a literal mime_type= if it is one of those)"
        )
    return EXTENSION_TYPES[extension]


def _extension(path: cst.BaseExpression, analysis: ModuleAnalysis) -> str | None:
    """The lower-case extension mimetypes read from the path, when the source spells it."""
    tail = _spelled_tail(path, analysis)
    if tail is None:
        return None
    text, complete = tail  # complete: `text` is the whole last component of the path
    if "/" in text:
        text, complete = text.rsplit("/", 1)[1], True
    if not complete and "." not in text.lstrip("."):
        return None  # `f"{stem}.jpg"`: an empty stem would make it a hidden file without extension
    extension = posixpath.splitext(text)[1].lower()
    return None if extension in WRAPPING_EXTENSIONS else extension


def _spelled_tail(path: cst.BaseExpression, analysis: ModuleAnalysis) -> tuple[str, bool] | None:
    """(the literal text the path ends with, whether that text is the whole path)."""
    if isinstance(path, (cst.SimpleString, cst.ConcatenatedString)):
        value = path.evaluated_value
        return (value, True) if isinstance(value, str) else None
    if isinstance(path, cst.FormattedString) and path.parts and isinstance(path.parts[-1], cst.FormattedStringText):
        return path.parts[-1].value, len(path.parts) == 1
    if isinstance(path, cst.Name):
        tails = {_spelled_tail(value, analysis) for value in analysis.values_of_name(path) or []}
        return tails.pop() if len(tails) == 1 else None
    if isinstance(path, cst.BinaryOperation) and isinstance(path.operator, cst.Add):
        tail = _spelled_tail(path.right, analysis)
        return None if tail is None else (tail[0], False)
    if isinstance(path, cst.BinaryOperation) and isinstance(path.operator, cst.Divide):
        return _joined(_spelled_tail(path.right, analysis))
    if isinstance(path, cst.Call) and path.args and not path.args[-1].star and _joins(path, analysis):
        return _joined(_spelled_tail(path.args[-1].value, analysis))
    return None


def _joined(tail: tuple[str, bool] | None) -> tuple[str, bool] | None:
    """The last piece of a joined path: a whole literal piece is the whole last component."""
    if tail is None:
        return None
    return ("/" + tail[0], False) if tail[1] else (tail[0], False)


def _joins(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """`Path(d, "a.png")`, `os.path.join(d, "a.png")`, `d.joinpath("a.png")`."""
    names = analysis.qualified_names(call.func)
    return bool(names) and names <= PATH_CLASSES | {"os.path.join"} or m.matches(call.func, m.Attribute(attr=m.Name("joinpath")))


def _is_path(path: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """The path is a `str` or a pathlib path, never a file object (genai read those too)."""
    if analysis.is_text(path) or _makes_path(path, analysis) or _annotated_path(path, analysis):
        return True
    sources = analysis.sources(path)
    return bool(sources) and sources != [path] and all(analysis.is_text(s) or _makes_path(s, analysis) for s in sources or ())


def _makes_path(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return True  # `d / "a.png"`: a path (or a TypeError, before and after)
    if not isinstance(expr, cst.Call):
        return False
    if _joins(expr, analysis):
        return True
    func = expr.func
    return isinstance(func, cst.Attribute) and func.attr.value in PATH_METHODS and _makes_path(func.value, analysis)


def _annotated_path(path: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """A parameter annotated `pathlib.Path`."""
    referents = analysis.referents(path) if isinstance(path, cst.Name) else None
    params = [analysis.param_of(r) for r in referents or ()]
    annotations = [analysis.qualified_names(p.annotation.annotation) if p is not None and p.annotation is not None else set() for p in params]
    return bool(annotations) and all(names and names <= PATH_CLASSES for names in annotations)


# ----------------------------------------------------------------- what the program does with the file
def _file_uses(call: cst.Call, analysis: ModuleAnalysis) -> Uses:
    """Where the file goes: the parts it is and the statements that go with the upload; every
    other use is a reason it stays on genai (Unsupported, all of them)."""
    sender = _sender(call, analysis)
    if sender is not None:
        return Uses(senders=frozenset({sender}))
    assign = analysis.parent(call)
    target = assign.targets[0].target if isinstance(assign, cst.Assign) and len(assign.targets) == 1 else None
    binding = analysis.assignment_of(target) if isinstance(target, cst.Name) else None
    if not isinstance(target, cst.Name) or binding is None:
        raise Unsupported(_use_reason(call, analysis))
    return _binding_uses(target.value, binding, analysis)


def _binding_uses(name: str, binding: BaseAssignment, analysis: ModuleAnalysis) -> Uses:
    bindings, reads = {binding}, _in_order(analysis.reads_of(binding), analysis)
    parts: dict[cst.Name, cst.Call] = {}
    removed: list[Statement] = []
    waits: set[cst.Call] = set()
    reasons: list[str] = []
    while reads:
        read = reads.pop(0)
        statement = _removable(read, name, analysis)
        sender = _sender(read, analysis) if statement is None else None
        if sender is not None:
            parts[read] = sender
        elif statement is None:
            reasons.append(_use_reason(read, analysis))
        elif statement not in removed:
            removed.append(statement)
            refetch = _waiting_refetch(statement, name, analysis)
            again = analysis.assignment_of(refetch.targets[0].target) if refetch is not None else None  # type: ignore[arg-type]
            if refetch is not None and again is not None:
                bindings.add(again)
                reads += _in_order(analysis.reads_of(again), analysis)
                waits.add(refetch.value)  # type: ignore[arg-type]
    if any(not (analysis.referents(read) or set()) <= bindings for read in parts):
        reasons.append(f"`{name}` may also hold something else where the file is sent")
    if reasons:
        raise Unsupported("; ".join(dict.fromkeys(reasons)))
    return Uses(frozenset(parts), tuple(removed), frozenset(waits), frozenset(parts.values()))


def _in_order(reads: list[cst.Name], analysis: ModuleAnalysis) -> list[cst.Name]:
    return sorted(reads, key=lambda read: (analysis.position(read).start.line, analysis.position(read).start.column))


FIELD_NOUNS = {"uri": "URI", "name": "name on Google's servers", "display_name": "display name", "state": "processing state"}


def _use_reason(node: cst.CSTNode, analysis: ModuleAnalysis) -> str:
    """Why a use of the file keeps it on genai, as the TODO says it."""
    parent = analysis.parent(node)
    shown = f"`{node.value}`" if isinstance(node, cst.Name) else "the file"
    if isinstance(parent, cst.Attribute) and parent.value is node:
        field = parent.attr.value
        return f"`{build.code(parent)}` is read, and inline data has no {FIELD_NOUNS.get(field, field)}"
    if isinstance(parent, cst.Return):
        return f"{shown} is returned, to code that may use it as a genai file"
    if isinstance(parent, cst.Arg) and isinstance(analysis.parent(parent), cst.Call):
        callee = build.code(analysis.parent(parent).func)  # type: ignore[union-attr]
        return f"{shown} is passed to {callee}(), which may use it as a genai file"
    if isinstance(parent, cst.Expr):
        return "the uploaded file is not used here (other code may look for it on Google's servers)"
    if isinstance(parent, cst.FormattedStringExpression):
        return f"{shown} is formatted into a string, where a genai file shows its name, URI and state"
    if isinstance(parent, cst.Element):
        return f"{shown} is put in a list that is not sent as the contents where it is written"
    return f"{shown} is used in a way genai2openai does not follow"


def _sender(node: cst.CSTNode, analysis: ModuleAnalysis) -> cst.Call | None:
    """The genai call whose contents `node` is a part of: as the contents, an element of a list
    of parts or contents, the `parts` of a content dict, the `history` of `start_chat`."""
    parent = analysis.parent(node)
    if isinstance(parent, cst.Element):
        holder = analysis.parent(parent)
        return _sender(holder, analysis) if isinstance(holder, (cst.List, cst.Tuple)) else None
    if isinstance(parent, cst.DictElement) and parent.value is node and m.matches(parent.key, m.SimpleString()):
        holder = analysis.parent(parent)
        parts = parent.key.evaluated_value == "parts" and isinstance(holder, cst.Dict)  # type: ignore[union-attr]
        return _sender(holder, analysis) if parts else None  # type: ignore[arg-type]
    call = analysis.parent(parent) if isinstance(parent, cst.Arg) else None
    if not isinstance(call, cst.Call) or not m.matches(call.func, m.Attribute(attr=m.OneOf(*(m.Name(n) for n in SENDERS)))):
        return None
    if parent.keyword is not None:  # type: ignore[union-attr]
        return call if parent.keyword.value in CONTENT_KEYWORDS else None  # type: ignore[union-attr]
    return call if call.args[0] is parent and not parent.star else None  # type: ignore[union-attr]


# ----------------------------------------------------------------- what only an uploaded file needed
def _removable(read: cst.Name, name: str, analysis: ModuleAnalysis) -> Statement | None:
    """The statement around `read` that only an uploaded file needs, in exactly one of the shapes
    genai's samples use: waiting while it is processed, failing when processing failed, deleting it."""
    for node in analysis.ancestors(read):
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return None
        if isinstance(node, cst.While) and _waiting_refetch(node, name, analysis) is not None:
            return node
        if isinstance(node, cst.If) and _failure_check(node, name):
            return node
        if isinstance(node, cst.SimpleStatementLine) and _deletion(node, name, analysis):
            return node
    return None


def _state(name: str, value: str, operator: m.BaseMatcherNode) -> m.Comparison:
    """`name.state.name <operator> "<value>"`."""
    state = m.Attribute(value=m.Attribute(value=m.Name(name), attr=m.Name("state")), attr=m.Name("name"))
    literal = m.MatchIfTrue(lambda node: isinstance(node, cst.SimpleString) and node.evaluated_value == value)
    return m.Comparison(left=state, comparisons=[m.ComparisonTarget(operator, literal)])


def _waiting_refetch(loop: cst.CSTNode, name: str, analysis: ModuleAnalysis) -> cst.Assign | None:
    """`while f.state.name == "PROCESSING":` sleeping (and printing literals), then
    `f = genai.get_file(f.name)`: the refetch."""
    if not m.matches(loop, m.While(test=_state(name, "PROCESSING", m.Equal()), orelse=None)):
        return None
    smalls = _small_statements(loop.body)  # type: ignore[attr-defined]
    refetch = smalls[-1] if smalls else None
    file_name = m.Attribute(value=m.Name(name), attr=m.Name("name"))
    if not m.matches(refetch, m.Assign(targets=[m.AssignTarget(m.Name(name))], value=m.Call(args=[m.Arg(file_name, keyword=NAME_KEYWORD)]))):
        return None
    if analysis.called_sdk_name(refetch.value) != "get_file":  # type: ignore[union-attr]
        return None
    return refetch if all(_pause_or_notice(s, analysis) for s in smalls[:-1]) else None  # type: ignore[return-value]


def _pause_or_notice(statement: cst.BaseSmallStatement, analysis: ModuleAnalysis) -> bool:
    """`time.sleep(...)`, or `print(...)` of literals only."""
    if not m.matches(statement, m.Expr(m.Call())):
        return False
    call = statement.value  # type: ignore[attr-defined]
    names = analysis.qualified_names(call.func)
    literal = m.SimpleString() | m.Integer() | m.Name("True") | m.Name("False") | m.Name("None")
    if names == {"builtins.print"}:
        return m.matches(call, m.Call(args=[m.ZeroOrMore(m.Arg(literal))]))
    return names == {"time.sleep"} and not any(analysis.has_side_effects(a.value) for a in call.args)


def _failure_check(check: cst.If, name: str) -> bool:
    """`if f.state.name == "FAILED": raise ...` (or `!= "ACTIVE"`), nothing else."""
    test = _state(name, "FAILED", m.Equal()) | _state(name, "ACTIVE", m.NotEqual())
    smalls = _small_statements(check.body)
    return m.matches(check, m.If(test=test, orelse=None)) and bool(smalls) and all(isinstance(s, cst.Raise) for s in smalls)


def _deletion(line: cst.SimpleStatementLine, name: str, analysis: ModuleAnalysis) -> bool:
    """`genai.delete_file(f.name)`, `genai.delete_file(f)` or `f.delete()` alone on its line."""
    if len(line.body) != 1 or not m.matches(line.body[0], m.Expr(m.Call())):
        return False
    call = line.body[0].value  # type: ignore[attr-defined]
    if m.matches(call, m.Call(func=m.Attribute(value=m.Name(name), attr=m.Name("delete")), args=[])):
        return True
    file = m.Name(name) | m.Attribute(value=m.Name(name), attr=m.Name("name"))
    return analysis.called_sdk_name(call) == "delete_file" and m.matches(call, m.Call(args=[m.Arg(file, keyword=NAME_KEYWORD)]))


def _small_statements(body: cst.BaseSuite) -> list[cst.BaseSmallStatement]:
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if not all(isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) for line in lines):
        return []
    return [small for line in lines for small in line.body]  # type: ignore[union-attr]


# ----------------------------------------------------------------- the new code
def _blob(upload: Inline) -> cst.BaseExpression:
    """`{"mime_type": "image/jpeg", "data": pathlib.Path(path).read_bytes()}`."""
    return parse_template_expression('{"mime_type": {mime_type}, "data": {data}}', mime_type=build.string(upload.mime_type), data=read_bytes(upload.path))


def read_bytes(path: cst.BaseExpression) -> cst.BaseExpression:
    return parse_template_expression("pathlib.Path({path}).read_bytes()", path=path)


def _key(name: cst.Name, key: str) -> cst.BaseExpression:
    return cst.Subscript(name, [cst.SubscriptElement(cst.Index(build.string(key)))])

