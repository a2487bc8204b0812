import google.generativeai as genai

# TODO(genai2openai): `model` is used by pkg/app.py, where genai2openai cannot change with it: it imports `llm`, which may name several files of the repository (or one it finds through `sys.path`): genai2openai cannot tell which
model = genai.GenerativeModel("gemini-2.5-flash", system_instruction="You are B.", generation_config={"temperature": 0.1})
