import base64
import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# A str in "data" is base64: genai decoded it and sent the bytes, it did not encode it again
PIXEL = "R0lGODlhAQABAAAAACw="
print(model.generate_content([{"mime_type": "image/gif", "data": PIXEL}, "What is this?"]).text)

# URL-safe base64 without padding was accepted too
token = base64.urlsafe_b64encode(b"\xfb\xff\xfe not an image").decode().rstrip("=")
print(model.generate_content(["And this?", {"mime_type": "image/png", "data": token}]).text)
