import os

import google.generativeai as genai
from PIL import Image

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash", system_instruction="Answer in one word.")


def describe(picture: Image.Image, question: str) -> str:
    """The question first, then the picture: genai kept the order of the parts."""
    return model.generate_content([question, picture]).text


Image.new("L", (2, 2), 255).save("white.png")
with Image.open("white.png") as white:
    print(describe(white, "What colour is this?"))

# A few-shot history: a user turn with a picture, the model's answer, then the new picture
Image.new("RGB", (2, 2), (0, 0, 255)).save("blue.png")
blue = Image.open("blue.png").convert("RGB")
response = model.generate_content(
    [
        {"role": "user", "parts": ["What colour is this?", blue]},
        {"role": "model", "parts": ["Blue."]},
        {"role": "user", "parts": ["And this one?", white]},
    ]
)
print(response.text)
