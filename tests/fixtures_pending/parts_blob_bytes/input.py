import os
import pathlib

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# The pattern of genai's docs: a blob dict kept in a variable, sent after the prompt
photo = {"mime_type": "image/jpeg", "data": pathlib.Path("photo.jpg").read_bytes()}
response = model.generate_content(["Caption this photo.", photo])
print(response.text)

# The same inline, with the bytes read from an open file
with open("photo.jpg", "rb") as f:
    answer = model.generate_content([{"mime_type": "image/jpeg", "data": f.read()}, "Is it a cat?"])
print(answer.text)
