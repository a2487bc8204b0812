import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): `model` is used by main.py, where genai2openai cannot change with it: it imports `pkg.llm`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are a pirate.")
