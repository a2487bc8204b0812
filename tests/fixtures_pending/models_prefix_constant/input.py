import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

# Resource name, as printed by genai.list_models()
MODEL_NAME = "models/gemini-1.5-pro"
print(f"Using {MODEL_NAME}")

model = genai.GenerativeModel(MODEL_NAME)
print(model.generate_content("Hello there.").text)
