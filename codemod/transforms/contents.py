"""genai `contents` and `system_instruction` → OpenAI chat messages."""

from __future__ import annotations

import libcst as cst

from codemod.analysis import ModuleAnalysis
from codemod.transforms.parts import (
    ASSISTANT_MEDIA,
    Text,
    file_advice,
    helper_call,
    may_hold_file,
    media_part,
    text_part,
)
from codemod.transforms.plan import Unsupported
from codemod.transforms.runtime import MESSAGE_HELPER, MESSAGES_HELPER, helper_sources

ROLES = {"user": "user", "model": "assistant"}


def message(role: str, content: cst.BaseExpression) -> cst.BaseExpression:
    """`{"role": role, "content": content}` (built directly: LibCST's template parser costs a
    parse per message)."""
    return cst.Dict(
        [
            cst.DictElement(cst.SimpleString('"role"'), cst.SimpleString(f'"{role}"'), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            cst.DictElement(cst.SimpleString('"content"'), content),
        ]
    )


def system_message(
    instruction: cst.BaseExpression, written: cst.BaseExpression | None, analysis: ModuleAnalysis, helpers: dict[str, str] | None
) -> cst.BaseExpression:
    """The system message; `written` is the instruction as the source wrote it (`instruction` may
    be a companion variable standing for it). genai made it a Content (`to_content`): text that
    is not provable is converted at run time."""
    source = written if written is not None else instruction
    if analysis.is_text(source):
        return message("system", instruction)
    converted = runtime_contents(instruction, MESSAGE_HELPER, analysis, helpers)
    return message("system", cst.Subscript(converted, [cst.SubscriptElement(cst.Index(cst.SimpleString('"content"')))]))


class Unprovable(Unsupported):
    """The type of a value in the contents cannot be proven statically (genai took text, images
    and parts alike): the runtime conversion takes over."""


def user_messages(
    contents: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None = None
) -> list[cst.BaseElement]:
    """Elements of the `messages` list for `contents`.

    Provable contents become literal messages; images, audio and PDFs become OpenAI content parts
    made by helper functions. Contents whose type is not provable are converted at run time by
    genai's own rules (`_genai2openai_messages`), unless they may hold something with no OpenAI
    equivalent. Helper names and sources go into `helpers`, for the caller to emit
    (`plan.add_helper`) once the call is migrated; without `helpers`, such contents raise
    Unsupported.
    """
    try:
        if isinstance(contents, (cst.List, cst.Tuple)):
            return [cst.Element(x) for x in _list_messages(contents, analysis, helpers)]
        if isinstance(contents, cst.Dict) and (_dict_get(contents, "parts") is not None or _dict_get(contents, "role") is not None):
            return [cst.Element(_role_message(contents, analysis, helpers))]
        return [cst.Element(message("user", _content([_part(contents, analysis, helpers)])))]
    except Unprovable:
        return [cst.StarredElement(runtime_contents(contents, MESSAGES_HELPER, analysis, helpers))]


def user_message(content: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    """The one message `content` is (genai's `to_content`, as `send_message` used it)."""
    elements = user_messages(content, analysis, helpers)
    if isinstance(elements[0], cst.StarredElement):
        return runtime_contents(content, MESSAGE_HELPER, analysis, helpers)
    if len(elements) != 1:
        raise Unsupported("several turns sent as one message")
    return elements[0].value


def runtime_contents(contents: cst.BaseExpression, helper: str, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    """`helper(contents)`, converting at run time; Unsupported where the value may be something
    the conversion would refuse (an uploaded file) although genai took it."""
    file_call = may_hold_file(contents, analysis)
    if file_call is not None:
        raise Unsupported(f"this may hold {file_advice(file_call)}")
    return helper_call(helper, helper_sources(helper), [contents], analysis, helpers)


def _list_messages(contents: cst.List | cst.Tuple, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> list[cst.BaseExpression]:
    elements = _elements(contents, "contents")
    if all(isinstance(e, cst.Dict) and _dict_get(e, "role") is not None for e in elements):
        return [_role_message(e, analysis, helpers) for e in elements if isinstance(e, cst.Dict)]
    return [message("user", _content([_part(e, analysis, helpers) for e in elements]))]


def _role_message(entry: cst.Dict, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    role = _dict_get(entry, "role")
    parts = _dict_get(entry, "parts")
    if parts is None:
        raise Unsupported("content dict without parts")
    if not isinstance(role, cst.SimpleString) or role.evaluated_value not in ROLES:
        raise Unprovable("content dict without a literal user/model role")
    if len(entry.elements) != 2:
        raise Unsupported("content dict has keys other than role and parts")
    assistant = role.evaluated_value == "model"
    collect = {} if assistant else helpers  # an assistant turn never keeps media: see below
    if isinstance(parts, (cst.List, cst.Tuple)):
        found = [_part(e, analysis, collect) for e in _elements(parts, "parts")]
    else:
        found = [_part(parts, analysis, collect)]
    if assistant and not all(is_text for is_text, _ in found):
        raise Unsupported(ASSISTANT_MEDIA)
    return message(ROLES[str(role.evaluated_value)], _content(found))


def _elements(sequence: cst.List | cst.Tuple, what: str) -> list[cst.BaseExpression]:
    elements = [e.value for e in sequence.elements if isinstance(e, cst.Element)]
    if len(elements) != len(sequence.elements) or not elements:
        raise Unsupported(f"{what} list uses * or is empty")
    return elements


def _part(part: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> tuple[bool, cst.BaseExpression]:
    """(is it text, the text or the OpenAI content part) for one genai part; Unprovable for a
    value whose type only the run can tell."""
    if analysis.is_text(part):
        return True, part
    found = media_part(part, analysis, helpers)
    if isinstance(found, Text):
        if not analysis.is_text(found.value):
            raise Unprovable("a text part whose value may not be text")
        return True, found.value
    if found is not None:
        return False, found
    if isinstance(part, (cst.Integer, cst.Float, cst.Imaginary, cst.Set, cst.Lambda)) or (isinstance(part, cst.SimpleString) and "b" in part.prefix.lower()):
        raise Unsupported("a part is neither text nor an image, audio or PDF genai2openai can convert")
    raise Unprovable("a part whose type only the run can tell")


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
