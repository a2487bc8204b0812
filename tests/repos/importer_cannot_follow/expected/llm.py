import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): `model` is used by main.py, where genai2openai cannot change with it: count_tokens has no OpenAI equivalent: read response.usage after the call
model = genai.GenerativeModel("gemini-2.0-flash")
print(model.generate_content("Warm up.").text)
