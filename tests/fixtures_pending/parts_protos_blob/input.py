import os

import google.generativeai as genai
from google.generativeai import protos

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

with open("scan.png", "rb") as f:
    scan = f.read()

# Parts built from the protos: a Blob, and Parts holding text or a Blob
response = model.generate_content(
    [
        genai.protos.Part(text="Read the text in this scan."),
        genai.protos.Blob(mime_type="image/png", data=scan),
    ]
)
print(response.text)
print(model.generate_content([protos.Part(inline_data=protos.Blob(mime_type="image/png", data=scan)), "Again."]).text)
