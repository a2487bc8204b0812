import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
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
    return model.generate_content(q)
