"""Non-text parts of genai contents (PIL images, inline data, `protos.Blob`/`Part`) → OpenAI
content parts.

genai encoded such a part when the request was made; the migrated code does the same at the same
moment through a small helper function emitted once per file (`_genai2openai_image_part`,
`_genai2openai_blob_part`), written with the standard library only and reproducing genai's
encoding byte for byte: a PIL image opened from a file is sent as that file's bytes with the
file's own mime type, any other image as lossless WebP; a `str` in `data` is base64 that genai
decoded (URL-safe or standard alphabet), bytes are sent as they are.

A local file uploaded with `upload_file` whose bytes files.py sends inline is the same blob.
What has no OpenAI content part (video, other audio formats, files kept on genai's Files API,
`file_data`) raises `Unsupported` with the reason; what cannot be recognised gives `None`, and the
caller decides.
"""

from __future__ import annotations

import dataclasses

import libcst as cst
import libcst.matchers as m
from libcst.helpers import parse_template_expression
from libcst.metadata import BaseAssignment

from codemod.analysis import ModuleAnalysis
from codemod.transforms.files import UPLOAD, inline_part, is_inlined
from codemod.transforms.plan import Unsupported
from codemod.walk import descendants

IMAGE_HELPER = "_genai2openai_image_part"
BLOB_HELPER = "_genai2openai_blob_part"

IMAGE_HELPER_SOURCE = f'''\
def {IMAGE_HELPER}(image):
    """A PIL image as an OpenAI content part, encoded as google.generativeai did: the
    bytes of the file it was opened from, else the image saved as lossless WebP."""
    import base64
    import io
    import pathlib

    filename = getattr(image, "filename", None)
    if (
        filename is not None
        and hasattr(image, "get_format_mimetype")
        and pathlib.Path(str(filename)).is_file()
    ):
        mime_type = image.get_format_mimetype()
        data = pathlib.Path(str(filename)).read_bytes()
    else:
        buffer = io.BytesIO()
        image.save(buffer, format="webp", lossless=True)
        mime_type, data = "image/webp", buffer.getvalue()
    url = "data:" + mime_type + ";base64," + base64.b64encode(data).decode("ascii")
    return {{"type": "image_url", "image_url": {{"url": url}}}}
'''

BLOB_HELPER_SOURCE = f'''\
def {BLOB_HELPER}(mime_type, data):
    """Inline data as an OpenAI content part: an image as a data URL, wav/mp3 audio
    as input_audio, a PDF as a file; a str is base64, decoded as genai decoded it."""
    import base64

    if isinstance(data, str):
        data = data.encode("utf-8")
        data = base64.urlsafe_b64decode(data + b"=" * (4 - len(data) % 4))
    encoded = base64.b64encode(data).decode("ascii")
    if mime_type.startswith("image/"):
        url = "data:" + mime_type + ";base64," + encoded
        return {{"type": "image_url", "image_url": {{"url": url}}}}
    if mime_type in (
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/mp3",
        "audio/mpeg",
    ):
        audio_format = "mp3" if mime_type in ("audio/mp3", "audio/mpeg") else "wav"
        return {{
            "type": "input_audio",
            "input_audio": {{"data": encoded, "format": audio_format}},
        }}
    if mime_type == "application/pdf":
        return {{
            "type": "file",
            "file": {{"file_data": "data:application/pdf;base64," + encoded}},
        }}
    raise ValueError("no OpenAI content part takes " + mime_type)
'''

# What makes or transforms PIL images (every one returns a `PIL.Image.Image`).
IMAGE_MAKERS = frozenset(
    {"PIL.Image.open", "PIL.Image.new", "PIL.Image.fromarray", "PIL.Image.frombytes", "PIL.Image.frombuffer"}
)
IMAGE_METHODS = frozenset({"convert", "copy", "crop", "resize", "rotate", "transpose"})
IMAGE_TYPE = "PIL.Image.Image"
# genai classes of the part protos, also reachable as `google.ai.generativelanguage` (glm).
PROTO_MODULES = ("google.ai.generativelanguage.", "google.ai.generativelanguage_v1beta.", "google.ai.generativelanguage_v1beta.types.")
FILE_CALLS = frozenset({"upload_file", "get_file"})

FILE_ADVICE = (
    "genai's Files API has no OpenAI-compatible equivalent: send the file's bytes inline "
    '({"mime_type": ..., "data": ...}) or keep genai for this call'
)
VIDEO_ADVICE = "video has no OpenAI content part: keep genai for this call (or send frames as images)"
MIME_ADVICE = "the mime_type of inline data is not a literal: genai2openai cannot tell which OpenAI content part it needs"
ASSISTANT_MEDIA = 'an image or file in a "model" turn: OpenAI assistant messages carry text only'


@dataclasses.dataclass(frozen=True)
class Text:
    """A part that genai sent as text: `{"text": x}`, `protos.Part(text=x)`."""

    value: cst.BaseExpression


# The mime types `_genai2openai_blob_part` takes (tests check that both agree).
WAV_TYPES = ("audio/wav", "audio/x-wav", "audio/wave")
MP3_TYPES = ("audio/mp3", "audio/mpeg")
PDF_TYPE = "application/pdf"


def blob_kind(mime_type: str) -> str | None:
    """The OpenAI content part `_genai2openai_blob_part` makes for `mime_type`, if any."""
    if mime_type.startswith("image/"):
        return "image_url"
    if mime_type in WAV_TYPES + MP3_TYPES:
        return "input_audio"
    if mime_type == PDF_TYPE:
        return "file"
    return None


def media_part(part: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression | Text | None:
    """The OpenAI content part for a non-text genai part, calling a helper recorded in `helpers`
    (name → source); a `Text` for a text part written as a dict or `Part`; None when `part` is
    none of the forms known here. Raises Unsupported for parts with no faithful equivalent."""
    if isinstance(part, cst.Dict):
        return _dict_part(part, analysis, helpers)
    uploaded = inline_part(part, analysis)
    if uploaded is not None:
        return _call(BLOB_HELPER, BLOB_HELPER_SOURCE, uploaded, analysis, helpers)
    file_call = file_source(part, analysis)
    if file_call is not None:
        shown = f"`{part.value}` is" if isinstance(part, cst.Name) else "this part is"
        raise Unsupported(f"{shown} {file_advice(file_call)}")
    if isinstance(part, cst.Call):
        proto = _proto_class(part, analysis)
        if proto is not None:
            return _proto_part(proto, part, analysis, helpers)
    if is_pil_image(part, analysis):
        return _call(IMAGE_HELPER, IMAGE_HELPER_SOURCE, [part], analysis, helpers)
    if isinstance(part, cst.Name):
        return _named_blob(part, analysis, helpers)
    return None


# ----------------------------------------------------------------- PIL images
def is_pil_image(expr: cst.BaseExpression, analysis: ModuleAnalysis, depth: int = 0) -> bool:
    """`expr` always holds a PIL image: made by `PIL.Image.open(...)` & co., a method such as
    `.convert(...)` of one, or a parameter annotated `Image.Image`, followed through names."""
    if depth > 8:
        return False
    if isinstance(expr, cst.Call):
        names = analysis.qualified_names(expr.func)
        if names and names <= IMAGE_MAKERS:  # every binding of the name is PIL's
            return True
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in IMAGE_METHODS:
            return is_pil_image(func.value, analysis, depth + 1)
        function = analysis.function_named(expr)
        if function is None:
            return False
        values = analysis.return_values(function)
        return bool(values) and all(v is not None and is_pil_image(v, analysis, depth + 1) for v in values)
    if isinstance(expr, cst.Name):
        referents = analysis.referents(expr)
        return bool(referents) and all(_binds_image(r, analysis, depth + 1) for r in referents)
    if isinstance(expr, cst.Attribute) and analysis.self_attribute_key(expr) is not None:
        values = analysis.self_attribute_values(expr)
        return bool(values) and all(is_pil_image(v, analysis, depth + 1) for v in values or ())
    return False


def _binds_image(referent: BaseAssignment, analysis: ModuleAnalysis, depth: int) -> bool:
    value = analysis.assigned_value(referent)
    if value is not None:
        return is_pil_image(value, analysis, depth)
    param = analysis.param_of(referent)
    if param is not None:
        if param.annotation is not None and analysis.qualified_names(param.annotation.annotation) == {IMAGE_TYPE}:
            return True
        function = analysis.enclosing_function(param)
        sites = analysis.call_sites(function) if function is not None else None
        if not sites or function is None:
            return False
        arguments = [analysis.argument_for(call, param, function) for call in sites]
        return all(a is not None and is_pil_image(a, analysis, depth) for a in arguments)
    target = getattr(referent, "node", None)
    alias = analysis.parent(target) if target is not None else None
    item = analysis.parent(alias) if alias is not None else None
    # `with Image.open(path) as image:` binds the image itself (its __enter__ returns self).
    if isinstance(item, cst.WithItem) and item.asname is alias and isinstance(alias, cst.AsName) and alias.name is target:
        return is_pil_image(item.item, analysis, depth)
    return False


# ----------------------------------------------------------------- dicts and protos
def _dict_part(part: cst.Dict, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression | Text | None:
    entries = _literal_entries(part)
    if entries is None:
        return None
    keys = set(entries)
    if keys == {"mime_type", "data"}:
        return blob_part(entries["mime_type"], entries["data"], analysis, helpers)
    if keys == {"text"}:
        return Text(entries["text"])
    if keys == {"inline_data"}:
        return _inline_data(entries["inline_data"], analysis, helpers)
    if keys == {"file_data"}:
        raise Unsupported(f"a file_data part: {FILE_ADVICE}")
    if keys & {"function_call", "function_response"}:
        raise Unsupported("function call parts are not migrated")
    return None


def _inline_data(value: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    """What genai's `to_blob` accepted: a blob dict, a `Blob(...)`, a PIL image."""
    found: cst.BaseExpression | Text | None = None
    if isinstance(value, cst.Dict):
        entries = _literal_entries(value)
        if entries is not None and set(entries) == {"mime_type", "data"}:
            found = blob_part(entries["mime_type"], entries["data"], analysis, helpers)
    elif isinstance(value, cst.Call) and _proto_class(value, analysis) == "Blob":
        found = _proto_part("Blob", value, analysis, helpers)
    elif is_pil_image(value, analysis):
        found = _call(IMAGE_HELPER, IMAGE_HELPER_SOURCE, [value], analysis, helpers)
    if found is None or isinstance(found, Text):
        raise Unsupported("inline_data whose mime type and data genai2openai cannot read: build the OpenAI content part by hand")
    return found


def _proto_class(call: cst.Call, analysis: ModuleAnalysis) -> str | None:
    """`Blob`, `Part`, `FileData`... for `genai.protos.X(...)` or `glm.X(...)`."""
    name = analysis.called_sdk_name(call)
    if name is not None:
        return name
    for qualified in analysis.qualified_names(call.func):
        for module in PROTO_MODULES:
            if qualified.startswith(module) and "." not in qualified[len(module) :]:
                return qualified[len(module) :]
    return None


def _proto_part(proto: str, call: cst.Call, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression | Text | None:
    if proto in {"File", "FileData"}:
        raise Unsupported(f"a {proto}(...) part: {FILE_ADVICE}")
    if proto not in {"Blob", "Part"}:
        return None
    arguments = {a.keyword.value: a.value for a in call.args if a.keyword is not None and not a.star}
    if len(arguments) != len(call.args):
        raise Unsupported(f"a {proto}(...) built without keyword arguments: build the OpenAI content part by hand")
    if proto == "Blob" and set(arguments) == {"mime_type", "data"}:
        return blob_part(arguments["mime_type"], arguments["data"], analysis, helpers)
    if proto == "Part" and set(arguments) == {"text"}:
        return Text(arguments["text"])
    if proto == "Part" and set(arguments) == {"inline_data"}:
        return _inline_data(arguments["inline_data"], analysis, helpers)
    if proto == "Part" and "file_data" in arguments:
        raise Unsupported(f"a file_data part: {FILE_ADVICE}")
    raise Unsupported(f"a {proto}(...) part with {', '.join(sorted(arguments)) or 'no fields'}: build the OpenAI content part by hand")


def blob_part(mime_type: cst.BaseExpression, data: cst.BaseExpression, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    _check_mime_type(mime_type, analysis)
    return _call(BLOB_HELPER, BLOB_HELPER_SOURCE, [mime_type, data], analysis, helpers)


def _check_mime_type(mime_type: cst.BaseExpression, analysis: ModuleAnalysis) -> None:
    """Every value the mime type may have is a literal with an OpenAI content part."""
    values = [mime_type]
    if isinstance(mime_type, cst.Name):
        values = analysis.values_of_name(mime_type) or []
    literals = [v.evaluated_value for v in values if isinstance(v, cst.SimpleString) and isinstance(v.evaluated_value, str)]
    if not values or len(literals) != len(values):
        raise Unsupported(MIME_ADVICE)
    for literal in literals:
        if literal.startswith("video/"):
            raise Unsupported(VIDEO_ADVICE)
        if blob_kind(literal) is None:
            audio = " (input_audio takes wav or mp3 only)" if literal.startswith("audio/") else ""
            raise Unsupported(f"inline {literal} data has no OpenAI content part{audio}: keep genai for this call")


def _named_blob(name: cst.Name, analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression | None:
    """`picture` bound once to `{"mime_type": "image/png", "data": ...}` and only ever sent as a
    part → `_genai2openai_blob_part(picture["mime_type"], picture["data"])`."""
    values = analysis.values_of_name(name)
    if not values or len(values) != 1 or not isinstance(values[0], cst.Dict):
        return None
    entries = _literal_entries(values[0])
    if entries is None or set(entries) != {"mime_type", "data"}:
        return None
    referents = analysis.referents(name) or set()
    target = getattr(next(iter(referents)), "node", None)
    if not isinstance(target, cst.Name) or not all(_only_sent(r, analysis) for r in analysis.references(target)):
        raise Unsupported(f"`{name.value}` is also changed or used elsewhere: build the OpenAI content part by hand")
    _check_mime_type(entries["mime_type"], analysis)
    keys = [cst.Subscript(name, [cst.SubscriptElement(cst.Index(cst.SimpleString(f'"{k}"')))]) for k in ("mime_type", "data")]
    return _call(BLOB_HELPER, BLOB_HELPER_SOURCE, keys, analysis, helpers)


def _only_sent(reference: cst.Name, analysis: ModuleAnalysis) -> bool:
    """This read of a blob dict cannot change it: an element of a list (of parts), or the
    contents of a `generate_content` / `send_message` call."""
    parent = analysis.parent(reference)
    if isinstance(parent, cst.Element):
        return True
    call = analysis.parent(parent) if isinstance(parent, cst.Arg) else None
    return isinstance(call, cst.Call) and m.matches(call.func, m.Attribute(attr=m.Name("generate_content") | m.Name("send_message")))


# ----------------------------------------------------------------- helpers
def file_source(part: cst.BaseExpression, analysis: ModuleAnalysis) -> str | None:
    """`upload_file` / `get_file` when `part` may be a file of genai's Files API (not one whose
    bytes the migration sends inline, see files.py)."""
    sources = analysis.sources(part) if isinstance(part, (cst.Name, cst.Attribute, cst.Call)) else None
    return _first_file_call({_kept_file_call(source, analysis) for source in sources or [part]})


def file_advice(file_call: str) -> str:
    """Why a value from `genai.<file_call>` keeps its call on genai."""
    if file_call == UPLOAD:
        return "a file from genai.upload_file, whose upload stays on genai (the TODO there says why): keep genai for this call"
    return f"a file from genai.{file_call}: {FILE_ADVICE}"


def may_hold_file(expr: cst.BaseExpression, analysis: ModuleAnalysis) -> str | None:
    """`upload_file` / `get_file` when a file of genai's Files API may be in `expr` or in any
    value it is built from (list elements, names, returns of the module's functions)."""
    return _first_file_call(_file_calls(expr, analysis, set()))


def _file_calls(expr: cst.BaseExpression, analysis: ModuleAnalysis, seen: set[int]) -> set[str | None]:
    found: set[str | None] = set()
    for node in descendants(expr):
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.add(_kept_file_call(node, analysis))
        if isinstance(node, (cst.Name, cst.Attribute, cst.Call)):
            for source in analysis.sources(node) or ():
                found |= set() if source is node else _file_calls(source, analysis, seen)
    return found


def _kept_file_call(node: cst.CSTNode, analysis: ModuleAnalysis) -> str | None:
    """`upload_file` / `get_file` for such a call whose file stays on genai's Files API."""
    name = analysis.called_sdk_name(node) if isinstance(node, cst.Call) else None
    return name if name in FILE_CALLS and not is_inlined(node, analysis) else None  # type: ignore[arg-type]


def _first_file_call(names: set[str | None]) -> str | None:
    """The upload when there is one (its TODO says why it stays), whatever the order found."""
    return UPLOAD if UPLOAD in names else next((n for n in sorted(names - {None})), None)  # type: ignore[type-var]


def _call(name: str, source: str, args: list[cst.BaseExpression], analysis: ModuleAnalysis, helpers: dict[str, str] | None) -> cst.BaseExpression:
    return helper_call(name, {name: source}, args, analysis, helpers)


def helper_call(
    name: str, sources: dict[str, str], args: list[cst.BaseExpression], analysis: ModuleAnalysis, helpers: dict[str, str] | None
) -> cst.BaseExpression:
    """A call of the helper `name`; it and the helpers it calls (`sources`, by name) are
    recorded in `helpers` unless the module already defines them (a file partly migrated by an
    earlier run)."""
    if helpers is None:
        raise Unsupported("images, audio and files in contents are not migrated here: build the OpenAI content parts by hand")
    for helper, source in sources.items():
        if not _defines(analysis, helper, source):
            if helper in analysis.bound_names():
                raise Unsupported(f"this module already binds `{helper}`: rename it, then run genai2openai again")
            helpers[helper] = source
    return cst.Call(cst.Name(name), [cst.Arg(a) for a in args])


def _defines(analysis: ModuleAnalysis, name: str, source: str) -> bool:
    """The module defines exactly this helper at its top level."""
    wanted = cst.parse_statement(source)
    return any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == name and statement.with_changes(leading_lines=()).deep_equals(wanted)
        for statement in analysis.module.body
    )


def _literal_entries(entry: cst.Dict) -> dict[str, cst.BaseExpression] | None:
    """The dict's entries when every key is a literal string (no `**`)."""
    found: dict[str, cst.BaseExpression] = {}
    for element in entry.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        key = element.key.evaluated_value
        if not isinstance(key, str):
            return None
        found[key] = element.value
    return found


def text_part(text: cst.BaseExpression) -> cst.BaseExpression:
    return parse_template_expression('{"type": "text", "text": {text}}', text=text)
