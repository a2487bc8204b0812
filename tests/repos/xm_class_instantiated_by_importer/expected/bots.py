import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])


class Bot:
    def __init__(self, model):
        self.model = model

    def ask(self, prompt):
        # TODO(genai2openai): the model here may be something genai2openai cannot migrate
        return self.model.generate_content(prompt).text


if __name__ == "__main__":
    # TODO(genai2openai): this model stays on genai: the model here may be something genai2openai cannot migrate (see the TODO there)
    print(Bot(genai.GenerativeModel("gemini-2.0-flash")).ask("What is rain?"))
