import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-1.5-flash")


def safe_answer(prompt):
    response = model.generate_content(prompt)
    try:
        return response.text
    except ValueError:
        # Blocked by the safety filters: the response has no text part
        return "Sorry, I can't answer that."


print(safe_answer("Tell me about volcanoes."))
