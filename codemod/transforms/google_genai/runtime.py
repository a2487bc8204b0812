"""Conversions done at run time for google-genai values, where static proof ends.

When the contents of a call cannot be proven statically (a parameter, a list built by code),
the migrated code hands them to a helper emitted once per file that applies google-genai's own
rules (`_transformers.t_contents` / `t_content` / `t_part`, `pil_to_blob`) and builds the OpenAI
messages. The helpers use the standard library only and recognise google-genai's objects by
their class names and fields, so the migrated program does not need google-genai. What has no
OpenAI equivalent (an uploaded file, a function call, video) makes them raise with the reason.
"""

from __future__ import annotations

from codemod.transforms.parts import BLOB_HELPER, BLOB_HELPER_SOURCE
from codemod.transforms.runtime import helper_sources as sources_with_calls

CONTENTS_HELPER = "_genai2openai_contents"
TURN_HELPER = "_genai2openai_turn"
PART_HELPER = "_genai2openai_content_part"
PIL_HELPER = "_genai2openai_pil_part"

CONTENTS_HELPER_SOURCE = f'''\
def {CONTENTS_HELPER}(contents):
    """google-genai contents as OpenAI messages, by its rules (t_contents): a Content
    (or a dict with role/parts) is one turn; consecutive parts (text, images, Part
    objects, part dicts) make one user turn; a nested list is one user turn."""
    if contents is None or (isinstance(contents, list) and not contents):
        raise ValueError("contents are required.")
    if not isinstance(contents, list):
        return [{TURN_HELPER}(contents)]
    messages, parts = [], []
    for item in contents:
        is_content = type(item).__name__ in ("Content", "UserContent", "ModelContent")
        if is_content or isinstance(item, list) or (
            isinstance(item, dict) and ("role" in item or "parts" in item or not item)
        ):
            if parts:
                messages.append({TURN_HELPER}(parts))
                parts = []
            messages.append({TURN_HELPER}(item))
        else:
            parts.append(item)
    if parts:
        messages.append({TURN_HELPER}(parts))
    return messages
'''

TURN_HELPER_SOURCE = f'''\
def {TURN_HELPER}(content):
    """One google-genai content (a Content, a dict with role/parts, a part or a list of
    parts) as an OpenAI message (t_content); no role means the user's."""
    if content is None:
        raise ValueError("content is required.")
    role, parts = "user", content
    if type(content).__name__ in ("Content", "UserContent", "ModelContent"):
        role, parts = content.role or "user", content.parts or []
    elif isinstance(content, dict) and ("role" in content or "parts" in content):
        role, parts = content.get("role") or "user", content.get("parts") or []
    if isinstance(parts, tuple) or hasattr(parts, "__next__"):
        parts = list(parts)  # pydantic took any sequence (or iterator) as the parts
    elif not isinstance(parts, list):
        parts = [parts]
    roles = {{"user": "user", "model": "assistant"}}
    if role not in roles:
        raise ValueError("genai2openai: OpenAI messages have no role " + repr(role))
    converted = [{PART_HELPER}(part) for part in parts]
    if roles[role] == "assistant" and any(p["type"] != "text" for p in converted):
        raise ValueError("genai2openai: OpenAI assistant messages carry text only")
    if len(converted) == 1 and converted[0]["type"] == "text":
        return {{"role": roles[role], "content": converted[0]["text"]}}
    return {{"role": roles[role], "content": converted}}
'''

PART_HELPER_SOURCE = f'''\
def {PART_HELPER}(part):
    """One google-genai part (text, a Part or part dict with text or inline_data, a PIL
    image) as an OpenAI content part (t_part)."""
    import sys

    if isinstance(part, str):
        return {{"type": "text", "text": part}}
    image = sys.modules.get("PIL.Image")
    if image is not None and isinstance(part, image.Image):
        return {PIL_HELPER}(part)
    if type(part).__name__ == "Part":
        part = {{k: v for k, v in vars(part).items() if v is not None}}
    if isinstance(part, dict):  # pydantic took the camelCase names too
        names = {{"inlineData": "inline_data", "mimeType": "mime_type"}}
        part = {{names.get(k, k): v for k, v in part.items()}}
    if type(part).__name__ == "File":
        raise ValueError(
            "genai2openai: an uploaded file has no OpenAI equivalent: send its bytes"
        )
    if isinstance(part, dict) and set(part) == {{"text"}}:
        return {{"type": "text", "text": part["text"]}}
    if isinstance(part, dict) and set(part) == {{"inline_data"}}:
        blob = part["inline_data"]
        if isinstance(blob, dict):
            blob = {{names.get(k, k): v for k, v in blob.items()}}
        else:
            blob = {{"mime_type": blob.mime_type, "data": blob.data}}
        if blob["mime_type"].startswith("video/"):
            raise ValueError("genai2openai: video has no OpenAI content part")
        return {BLOB_HELPER}(blob["mime_type"], blob["data"])
    fields = ", ".join(sorted(part)) if isinstance(part, dict) else type(part).__name__
    raise ValueError("genai2openai: no OpenAI content part for a part with " + fields)
'''

PIL_HELPER_SOURCE = f'''\
def {PIL_HELPER}(image):
    """A PIL image as an OpenAI content part, encoded as google-genai did (pil_to_blob):
    JPEG for a JPEG file opened from disk, else PNG."""
    import base64
    import io

    image_format, options = "PNG", {{}}
    if (
        image.format == "JPEG"
        and getattr(image, "filename", "")
        and image.mode in ["1", "L", "RGB", "RGBX", "CMYK"]
    ):
        image_format, options = "JPEG", {{"quality": "keep"}}
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    url = "data:image/" + image_format.lower() + ";base64," + encoded
    return {{"type": "image_url", "image_url": {{"url": url}}}}
'''

# Each helper with the helpers it calls, in the order they are emitted.
HELPERS = {
    CONTENTS_HELPER: (CONTENTS_HELPER_SOURCE, TURN_HELPER),
    TURN_HELPER: (TURN_HELPER_SOURCE, PART_HELPER),
    PART_HELPER: (PART_HELPER_SOURCE, PIL_HELPER, BLOB_HELPER),
    PIL_HELPER: (PIL_HELPER_SOURCE,),
    BLOB_HELPER: (BLOB_HELPER_SOURCE,),
}


def helper_sources(name: str) -> dict[str, str]:
    """`name`'s source and the sources of every helper it calls, by name."""
    return sources_with_calls(name, HELPERS)
