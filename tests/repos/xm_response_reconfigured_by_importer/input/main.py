import os

import google.generativeai as genai

from llm import ask

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
print(ask("a").text)
