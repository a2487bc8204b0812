import os

from openai import OpenAI
from PIL import Image


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


def describe(picture: Image.Image, question: str) -> str:
    """The question first, then the picture: genai kept the order of the parts."""
    return client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "Answer in one word."},
            {"role": "user", "content": [{"type": "text", "text": question}, _genai2openai_image_part(picture)]},
        ],
    ).choices[0].message.content


Image.new("L", (2, 2), 255).save("white.png")
with Image.open("white.png") as white:
    print(describe(white, "What colour is this?"))

# A few-shot history: a user turn with a picture, the model's answer, then the new picture
Image.new("RGB", (2, 2), (0, 0, 255)).save("blue.png")
blue = Image.open("blue.png").convert("RGB")
response = client.chat.completions.create(
    model=model,
    messages=[
        {"role": "system", "content": "Answer in one word."},
        {"role": "user", "content": [{"type": "text", "text": "What colour is this?"}, _genai2openai_image_part(blue)]},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": [{"type": "text", "text": "And this one?"}, _genai2openai_image_part(white)]},
    ],
)
print(response.choices[0].message.content)
