import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash")


class Fake:
    text = "fake"


greeting = model.generate_content("hello")


def reset():
    global greeting
    greeting = Fake()
