"""genai `contents` and `system_instruction` → OpenAI chat messages."""

from __future__ import annotations

import libcst as cst
from libcst.helpers import parse_template_expression

from codemod.analysis import ModuleAnalysis
from codemod.ftypes import Kind, Severity
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


def user_messages(contents: cst.BaseExpression, analysis: ModuleAnalysis) -> tuple[list[cst.BaseExpression], bool]:
    """Messages for `contents`, and whether `contents` was only *assumed* to be text."""
    assumed: list[bool] = []
    if isinstance(contents, cst.List):
        messages = _list_messages(contents, analysis, assumed)
    elif isinstance(contents, cst.Dict):
        messages = [_role_message(contents, analysis, assumed)]
    else:
        messages = [message("user", _text_of(contents, analysis, assumed))]
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


def _list_messages(contents: cst.List, analysis: ModuleAnalysis, assumed: list[bool]) -> list[cst.BaseExpression]:
    elements = [e.value for e in contents.elements if isinstance(e, cst.Element)]
    if len(elements) != len(contents.elements) or not elements:
        raise Unsupported("contents list uses * or is empty")
    if all(isinstance(e, cst.Dict) and _dict_get(e, "role") is not None for e in elements):
        return [_role_message(e, analysis, assumed) for e in elements if isinstance(e, cst.Dict)]
    return [message("user", _text_content([_text_of(e, analysis, assumed) for e in elements]))]


def _role_message(entry: cst.Dict, analysis: ModuleAnalysis, assumed: list[bool]) -> cst.BaseExpression:
    role = _dict_get(entry, "role")
    parts = _dict_get(entry, "parts")
    if not isinstance(role, cst.SimpleString) or role.evaluated_value not in ROLES or parts is None:
        raise Unsupported("content dict without a literal user/model role and parts")
    if len(entry.elements) != 2:
        raise Unsupported("content dict has keys other than role and parts")
    if isinstance(parts, cst.List):
        texts = [_text_of(e.value, analysis, assumed) for e in parts.elements if isinstance(e, cst.Element)]
        if len(texts) != len(parts.elements) or not texts:
            raise Unsupported("parts list uses * or is empty")
    else:
        texts = [_text_of(parts, analysis, assumed)]
    return message(ROLES[str(role.evaluated_value)], _text_content(texts))


def _text_of(part: cst.BaseExpression, analysis: ModuleAnalysis, assumed: list[bool]) -> cst.BaseExpression:
    """The text a part holds; a value of unknown type counts as text, noted in `assumed`."""
    if analysis.is_text(part):
        return part
    if isinstance(part, cst.Dict) and len(part.elements) == 1:
        text = _dict_get(part, "text")
        if text is not None:
            return _text_of(text, analysis, assumed)
    if not _provably_not_text(part, analysis) and not isinstance(part, cst.Dict):
        assumed.append(True)
        return part
    if isinstance(part, cst.Name):
        raise Unsupported(f"`{part.value}` holds a list, image or file, not text: build the OpenAI messages by hand")
    raise Unsupported("a part is not text (images and files are not migrated yet)")


def _text_content(texts: list[cst.BaseExpression]) -> cst.BaseExpression:
    if len(texts) == 1:
        return texts[0]
    parts = [parse_template_expression('{"type": "text", "text": {text}}', text=t) for t in texts]
    return cst.List([cst.Element(p) for p in parts])


def _dict_get(entry: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in entry.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            if element.key.evaluated_value == key:
                return element.value
    return None
