import os

import google.generativeai as genai
import PIL.Image

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# A picture saved to a file, then opened and sent alone: genai sent the file's own bytes (PNG)
PIL.Image.new("RGB", (4, 3), (200, 30, 60)).save("picture.png")
picture = PIL.Image.open("picture.png")
response = model.generate_content(picture)
print(response.text)

# An image made in memory has no file: genai sent it as lossless WebP
gradient = PIL.Image.new("RGB", (8, 8))
gradient.putdata([(x * 32, y * 32, 128) for y in range(8) for x in range(8)])
print(model.generate_content(["Which colours are in this gradient?", gradient]).text)
