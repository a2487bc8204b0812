"""genai `contents` and `system_instruction` → OpenAI chat messages."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import parse_template_expression

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Kind, Severity
from codemod.transforms.parts import ASSISTANT_MEDIA, Text, media_part, text_part
from codemod.transforms.plan import Unsupported

ROLES = {"user": "user", "model": "assistant"}
ASSUMED_SYSTEM = "system_instruction assumed to be text; if it holds parts, build the system message by hand"


def message(role: str, content: cst.BaseExpression) -> cst.BaseExpression:
    return parse_template_expression(f'{{"role": "{role}", "content": {{content}}}}', content=content)


def system_message(instruction: cst.BaseExpression, written: cst.BaseExpression | None, analysis: ModuleAnalysis, marks: list) -> cst.BaseExpression:  # type: ignore[type-arg]
    """The system message; `written` is the instruction as the source wrote it (`instruction` may
    be a companion variable standing for it)."""
    source = written if written is not None else instruction
    if not analysis.is_text(source):
        if _provably_not_text(source, analysis):
            raise Unsupported("system_instruction is not plain text (parts or a Content): build the system message by hand")
        marks.append((Kind.ASSUMED_TEXT, ASSUMED_SYSTEM, Severity.NOTE))
    return message("system", instruction)


def user_messages(
    contents: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None = None
) -> tuple[list[cst.BaseExpression], bool]:
    """Messages for `contents`, and whether `contents` was only *assumed* to be text.

    Images, audio and PDFs become OpenAI content parts made by helper functions: their names and
    sources go into `helpers`, for the caller to emit (`plan.add_helper`) once the call is
    migrated. Without `helpers`, such parts raise Unsupported.
    """
    assumed: list[bool] = []
    if isinstance(contents, (cst.List, cst.Tuple)):
        messages = _list_messages(contents, analysis, assumed, helpers)
    elif isinstance(contents, cst.Dict) and (_dict_get(contents, "parts") is not None or _dict_get(contents, "role") is not None):
        messages = [_role_message(contents, analysis, assumed, helpers)]
    else:
        messages = [message("user", _content([_part(contents, analysis, assumed, helpers, alone=True)]))]
    return messages, any(assumed)


_NOT_TEXT = (cst.List, cst.Tuple, cst.Dict, cst.Set, cst.Integer, cst.Float, cst.Imaginary, cst.BaseComp, cst.Lambda)


def _provably_not_text(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> bool:
    """Positive evidence only: a container, number or bytes literal, media, or a name that may
    hold one of those."""
    if isinstance(expr, _NOT_TEXT) or (isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower()):
        return True
    if isinstance(expr, cst.Call):
        return _makes_media(expr, analysis)
    if not isinstance(expr, cst.Name):
        return False
    values = analysis.values_of_name(expr)
    return any(_provably_not_text(v, analysis) for v in values or () if v is not expr)


def _makes_media(call: cst.Call, analysis: ModuleAnalysis) -> bool:
    """PIL images, SDK objects (uploaded files, blobs) and `open(...)` file objects are no text."""
    names = analysis.qualified_names(call.func)
    return (
        analysis.called_sdk_name(call) is not None
        or "builtins.open" in names
        or any(name.startswith("PIL.") for name in names)
    )


def _list_messages(
    contents: cst.List | cst.Tuple, analysis: ModuleAnalysis, assumed: list[bool], helpers: dict[str, str] | None
) -> list[cst.BaseExpression]:
    elements = _elements(contents, "contents")
    if all(isinstance(e, cst.Dict) and _dict_get(e, "role") is not None for e in elements):
        return [_role_message(e, analysis, assumed, helpers) for e in elements if isinstance(e, cst.Dict)]
    return [message("user", _content([_part(e, analysis, assumed, helpers, alone=False) for e in elements]))]


def _role_message(entry: cst.Dict, analysis: ModuleAnalysis, assumed: list[bool], helpers: dict[str, str] | None) -> cst.BaseExpression:
    role = _dict_get(entry, "role")
    parts = _dict_get(entry, "parts")
    if not isinstance(role, cst.SimpleString) or role.evaluated_value not in ROLES or parts is None:
        raise Unsupported("content dict without a literal user/model role and parts")
    if len(entry.elements) != 2:
        raise Unsupported("content dict has keys other than role and parts")
    assistant = role.evaluated_value == "model"
    collect = {} if assistant else helpers  # an assistant turn never keeps media: see below
    if isinstance(parts, (cst.List, cst.Tuple)):
        found = [_part(e, analysis, assumed, collect, alone=False) for e in _elements(parts, "parts")]
    else:
        found = [_part(parts, analysis, assumed, collect, alone=True)]
    if assistant and not all(is_text for is_text, _ in found):
        raise Unsupported(ASSISTANT_MEDIA)
    return message(ROLES[str(role.evaluated_value)], _content(found))


def _elements(sequence: cst.List | cst.Tuple, what: str) -> list[cst.BaseExpression]:
    elements = [e.value for e in sequence.elements if isinstance(e, cst.Element)]
    if len(elements) != len(sequence.elements) or not elements:
        raise Unsupported(f"{what} list uses * or is empty")
    return elements


def _part(
    part: cst.BaseExpression, analysis: ModuleAnalysis, assumed: list[bool], helpers: dict[str, str] | None, alone: bool
) -> tuple[bool, cst.BaseExpression]:
    """(is it text, the text or the OpenAI content part) for one genai part. A value of unknown
    type counts as text, noted in `assumed`, only when it is the whole of `contents` or `parts`
    (`alone`): in a list of parts it may as well be an image, and the call stays on genai."""
    if analysis.is_text(part):
        return True, part
    found = media_part(part, analysis, helpers)
    if isinstance(found, Text):
        return True, _text_of(found.value, analysis, assumed)
    if found is not None:
        return False, found
    if not alone and not _provably_not_text(part, analysis):
        shown = f"`{part.value}`" if isinstance(part, cst.Name) else "a part"
        raise Unsupported(f"{shown} may be text, an image or a file (genai took all three): build the OpenAI content parts by hand")
    return True, _text_of(part, analysis, assumed)


def _text_of(part: cst.BaseExpression, analysis: ModuleAnalysis, assumed: list[bool]) -> cst.BaseExpression:
    """The text a part holds; a value of unknown type counts as text, noted in `assumed`."""
    if analysis.is_text(part):
        return part
    if not _provably_not_text(part, analysis) and not isinstance(part, cst.Dict):
        assumed.append(True)
        return part
    if isinstance(part, cst.Name):
        raise Unsupported(f"`{part.value}` holds a list, image or file, not text: build the OpenAI messages by hand")
    raise Unsupported("a part is neither text nor an image, audio or PDF genai2openai can convert")


def _content(parts: list[tuple[bool, cst.BaseExpression]]) -> cst.BaseExpression:
    """A bare string for one text part, else a list of OpenAI content parts (order kept)."""
    if len(parts) == 1 and parts[0][0]:
        return parts[0][1]
    return cst.List([cst.Element(text_part(value) if is_text else value) for is_text, value in parts])


def _dict_get(entry: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in entry.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            if element.key.evaluated_value == key:
                return element.value
    return None
