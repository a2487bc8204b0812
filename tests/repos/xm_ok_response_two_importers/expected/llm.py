import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
# TODO(genai2openai): this model stays on genai: `ask` is used by other.py, where genai2openai cannot change with it: prompt_feedback has no OpenAI equivalent: check choices[0].finish_reason == "content_filter" (see the TODO there)
model = genai.GenerativeModel("gemini-2.0-flash")


def ask(q):
    # TODO(genai2openai): `ask` is used by other.py, where genai2openai cannot change with it: prompt_feedback has no OpenAI equivalent: check choices[0].finish_reason == "content_filter"
    return model.generate_content(q)
