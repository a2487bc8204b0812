import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): `model` is used by main.py, where genai2openai cannot change with it: its `import *` hides which names it uses
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are A.")
