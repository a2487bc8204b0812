from llm import model
import llm


def _genai2openai_messages(contents):
    """genai contents as OpenAI messages, by google.generativeai's rules (to_contents):
    a list of contents (dicts with "parts", protos.Content) is one message each;
    anything else (text, an image, a part, a list of parts) is one user message."""
    from collections.abc import Iterable, Mapping

    if contents is None:
        return []
    if isinstance(contents, Iterable) and not isinstance(contents, (str, Mapping)):
        contents = list(contents)
        if all(
            (isinstance(c, Mapping) and "parts" in c) or type(c).__name__ == "Content"
            for c in contents
        ):
            return [_genai2openai_message(c) for c in contents]
    return [_genai2openai_message(contents)]


def _genai2openai_message(content):
    """One genai content (a dict with "parts", a protos.Content, a part or a list of
    parts) as an OpenAI message, by genai's rules (to_content); no role means user."""
    from collections.abc import Iterable, Mapping

    if not content:
        raise ValueError("Invalid input: 'content' argument must not be empty.")
    role, parts = "", content
    if isinstance(content, Mapping) and "parts" in content:
        role, parts = content.get("role", ""), content["parts"]
        parts = [parts] if isinstance(parts, str) else parts
    elif type(content).__name__ == "Content" and hasattr(content, "parts"):
        role, parts = content.role, content.parts
    elif (
        isinstance(content, str)
        or isinstance(content, Mapping)
        or not isinstance(content, Iterable)
    ):
        parts = [content]
    roles = {"": "user", "user": "user", "model": "assistant"}
    if role not in roles:
        raise ValueError("genai2openai: OpenAI messages have no role " + repr(role))
    converted = [_genai2openai_part(part) for part in parts]
    if roles[role] == "assistant" and any(p["type"] != "text" for p in converted):
        raise ValueError("genai2openai: OpenAI assistant messages carry text only")
    if len(converted) == 1 and converted[0]["type"] == "text":
        return {"role": roles[role], "content": converted[0]["text"]}
    return {"role": roles[role], "content": converted}


def _genai2openai_part(part):
    """One genai part (text, a PIL image, a {"mime_type", "data"} blob, {"text"} or
    {"inline_data"} dicts, protos.Part/Blob) as an OpenAI content part (to_part)."""
    import sys
    from collections.abc import Mapping

    if type(part).__name__ == "Part" and hasattr(type(part), "pb"):
        field = type(part).pb(part).WhichOneof("data")
        part = {field: getattr(part, field)}
    elif type(part).__name__ == "Blob" and hasattr(type(part), "pb"):
        part = {"mime_type": part.mime_type, "data": part.data}
    if isinstance(part, str):
        return {"type": "text", "text": part}
    if isinstance(part, Mapping) and list(part) == ["text"]:
        return {"type": "text", "text": part["text"]}
    if isinstance(part, Mapping) and list(part) == ["inline_data"]:
        return _genai2openai_part(part["inline_data"])
    if (
        isinstance(part, Mapping)
        and "parts" not in part
        and "mime_type" in part
        and "data" in part
    ):
        return _genai2openai_blob_part(part["mime_type"], part["data"])
    image = sys.modules.get("PIL.Image")
    if image is not None and isinstance(part, image.Image):
        return _genai2openai_image_part(part)
    if isinstance(part, Mapping) and "parts" not in part and len(part) != 1:
        raise KeyError(
            "Unable to determine the intended type of the `dict`: " + repr(list(part))
        )
    raise TypeError("genai2openai: no OpenAI content part for " + type(part).__name__)


def _genai2openai_image_part(image):
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
    return {"type": "image_url", "image_url": {"url": url}}


def _genai2openai_blob_part(mime_type, data):
    """Inline data as an OpenAI content part: an image as a data URL, wav/mp3 audio
    as input_audio, a PDF as a file; a str is base64, decoded as genai decoded it."""
    import base64

    if isinstance(data, str):
        data = data.encode("utf-8")
        data = base64.urlsafe_b64decode(data + b"=" * (4 - len(data) % 4))
    encoded = base64.b64encode(data).decode("ascii")
    if mime_type.startswith("image/"):
        url = "data:" + mime_type + ";base64," + encoded
        return {"type": "image_url", "image_url": {"url": url}}
    if mime_type in (
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/mp3",
        "audio/mpeg",
    ):
        audio_format = "mp3" if mime_type in ("audio/mp3", "audio/mpeg") else "wav"
        return {
            "type": "input_audio",
            "input_audio": {"data": encoded, "format": audio_format},
        }
    if mime_type == "application/pdf":
        return {
            "type": "file",
            "file": {"file_data": "data:application/pdf;base64," + encoded},
        }
    raise ValueError("no OpenAI content part takes " + mime_type)


def ask(q):
    return llm.client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "You are A."},
            *_genai2openai_messages(q),
        ],
    ).choices[0].message.content
