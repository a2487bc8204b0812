import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): this model stays on genai: `ask` is used by main.py, where genai2openai cannot change with it: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


class Fake:
    text = "fake"


if os.environ.get("FAKE_LLM"):
    def ask(q):
        return Fake()
else:
    def ask(q):
        # TODO(genai2openai): `ask` is used by main.py, where genai2openai cannot change with it: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object
        return model.generate_content(q)
