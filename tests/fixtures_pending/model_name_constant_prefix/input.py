import os

import google.generativeai as genai

# Settings
MODEL_NAME = "models/gemini-1.5-flash"

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel(MODEL_NAME)
print(model.generate_content("Say hello.").text)
