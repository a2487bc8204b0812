import os

from openai import OpenAI
import PIL.Image


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

# A picture saved to a file, then opened and sent alone: genai sent the file's own bytes (PNG)
PIL.Image.new("RGB", (4, 3), (200, 30, 60)).save("picture.png")
picture = PIL.Image.open("picture.png")
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": [_genai2openai_image_part(picture)]}],
)
print(response.choices[0].message.content)

# An image made in memory has no file: genai sent it as lossless WebP
gradient = PIL.Image.new("RGB", (8, 8))
gradient.putdata([(x * 32, y * 32, 128) for y in range(8) for x in range(8)])
print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": [{"type": "text", "text": "Which colours are in this gradient?"}, _genai2openai_image_part(gradient)]}],
).choices[0].message.content)
