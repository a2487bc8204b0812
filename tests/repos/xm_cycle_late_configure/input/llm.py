import os

import google.generativeai as genai

model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are A.")

import app  # noqa: E402,F401  (registers the handlers)

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
