import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"]); print("configured")
model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Count to three.").text)
