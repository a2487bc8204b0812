import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): this model stays on genai: `greeting` is used by main.py, where genai2openai cannot change with it: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


class Fake:
    text = "fake"


# TODO(genai2openai): `greeting` is used by main.py, where genai2openai cannot change with it: the name is bound more than once in its module (or in a function through `global`): what it holds there is not always this object
greeting = model.generate_content("hello")


def reset():
    global greeting
    greeting = Fake()
