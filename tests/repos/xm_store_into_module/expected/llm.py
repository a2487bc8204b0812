import google.generativeai as genai

# TODO(genai2openai): `model` is used by main.py, where genai2openai cannot change with it: it stores another object into `llm.model`
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are A.")
