import os

from openai import OpenAI
from PIL import Image


def _genai2openai_blob_part(mime_type, data):
    """Inline data as an OpenAI content part: an image as a data URL, wav/mp3 audio as
    input_audio, a PDF as a file. A str is base64, decoded as google.generativeai did."""
    import base64

    if isinstance(data, str):
        data = data.encode("utf-8")
        data = base64.urlsafe_b64decode(data + b"=" * (4 - len(data) % 4))
    encoded = base64.b64encode(data).decode("ascii")
    if mime_type.startswith("image/"):
        url = "data:" + mime_type + ";base64," + encoded
        return {"type": "image_url", "image_url": {"url": url}}
    if mime_type in ("audio/wav", "audio/x-wav", "audio/wave", "audio/mp3", "audio/mpeg"):
        audio_format = "mp3" if mime_type in ("audio/mp3", "audio/mpeg") else "wav"
        return {"type": "input_audio", "input_audio": {"data": encoded, "format": audio_format}}
    if mime_type == "application/pdf":
        return {"type": "file", "file": {"file_data": "data:application/pdf;base64," + encoded}}
    raise ValueError("no OpenAI content part takes " + mime_type)


def _genai2openai_image_part(image):
    """A PIL image as an OpenAI content part, encoded as google.generativeai did: the bytes of
    the file it was opened from, else the image saved as lossless WebP."""
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


client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-2.5-flash"

# Part dicts as the REST API spells them: {"text": ...} and {"inline_data": {...}}
with open("chart.png", "rb") as f:
    chart = f.read()
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": [{"type": "text", "text": "Summarise this chart."}, _genai2openai_blob_part("image/png", chart)]}],
)
print(response.choices[0].message.content)

# inline_data also took a PIL image
Image.new("RGB", (3, 3), (0, 128, 0)).save("green.png")
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": [_genai2openai_image_part(Image.open("green.png")), {"type": "text", "text": "Which colour?"}]}],
).choices[0].message.content)
