import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): this model stays on genai: `ask` is imported by use.ipynb, a notebook, whose imports of other modules genai2openai does not follow: the model stays on genai so that the notebook keeps working (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


def ask(q):
    # TODO(genai2openai): `ask` is imported by use.ipynb, a notebook, whose imports of other modules genai2openai does not follow: the model stays on genai so that the notebook keeps working
    return model.generate_content(q)
