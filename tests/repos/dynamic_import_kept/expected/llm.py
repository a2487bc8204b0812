import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): `model` is used by main.py, where genai2openai cannot change with it: it imports that module dynamically, which genai2openai cannot follow
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="Be brief.")
