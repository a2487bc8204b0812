import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash")


class Fake:
    text = "fake"


if os.environ.get("FAKE_LLM"):
    def ask(q):
        return Fake()
else:
    def ask(q):
        return model.generate_content(q)
