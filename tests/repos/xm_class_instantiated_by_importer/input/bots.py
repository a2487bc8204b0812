import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])


class Bot:
    def __init__(self, model):
        self.model = model

    def ask(self, prompt):
        return self.model.generate_content(prompt).text


if __name__ == "__main__":
    print(Bot(genai.GenerativeModel("gemini-2.0-flash")).ask("What is rain?"))
