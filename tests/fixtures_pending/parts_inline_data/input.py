import os

import google.generativeai as genai
from PIL import Image

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# Part dicts as the REST API spells them: {"text": ...} and {"inline_data": {...}}
with open("chart.png", "rb") as f:
    chart = f.read()
response = model.generate_content(
    [
        {"text": "Summarise this chart."},
        {"inline_data": {"mime_type": "image/png", "data": chart}},
    ]
)
print(response.text)

# inline_data also took a PIL image
Image.new("RGB", (3, 3), (0, 128, 0)).save("green.png")
print(model.generate_content([{"inline_data": Image.open("green.png")}, {"text": "Which colour?"}]).text)
