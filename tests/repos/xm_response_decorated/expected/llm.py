import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): this model stays on genai: the response is returned to callers outside this module (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


class Box:
    def __init__(self, r):
        self.text = "boxed " + r.text


def boxed(f):
    def wrapper(q):
        return Box(f(q))
    return wrapper


@boxed
def ask(q):
    # TODO(genai2openai): the response is returned to callers outside this module
    return model.generate_content(q)
