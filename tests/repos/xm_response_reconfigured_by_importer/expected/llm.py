import os

import google.generativeai as genai

genai.configure(api_key=os.environ.get("LLM_KEY"))
# TODO(genai2openai): this model stays on genai: `ask` is used by main.py, where genai2openai cannot change with it: this module configures genai itself, and genai's last configure() applied to the call its module makes (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


def ask(q):
    # TODO(genai2openai): `ask` is used by main.py, where genai2openai cannot change with it: this module configures genai itself, and genai's last configure() applied to the call its module makes
    return model.generate_content(q)
