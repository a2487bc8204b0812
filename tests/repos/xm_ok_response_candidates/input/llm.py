import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash", generation_config={"candidate_count": 2})


def ask(q):
    return model.generate_content(q)
