import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="Answer in one word.")
greeting = model.generate_content("Say hello.")


def ask(question):
    """The answer to one question (the caller reads it)."""
    return model.generate_content(question)


async def ask_async(question):
    return await model.generate_content_async(question)
