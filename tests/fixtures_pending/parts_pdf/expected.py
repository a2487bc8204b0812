import os
import pathlib

from openai import OpenAI


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


client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)

model = "gemini-2.5-flash"

# A PDF sent inline becomes a file part
report = pathlib.Path("report.pdf")
response = client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": [{"type": "text", "text": "Summarise this report in one sentence."}, _genai2openai_blob_part("application/pdf", report.read_bytes())]}],
    temperature=0,
)
print(response.choices[0].message.content)
