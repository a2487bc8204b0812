import os

import google.generativeai as genai

import tools

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="Be brief.")


def run(question):
    return tools.ask(question)
