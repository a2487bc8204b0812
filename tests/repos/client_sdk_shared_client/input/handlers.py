from google.genai import types

import config
from config import MODEL, client


def answer(question: str) -> str:
    response = client.models.generate_content(
        model=MODEL,
        contents=question,
        config=types.GenerateContentConfig(system_instruction="Be brief.", temperature=0.1),
    )
    return response.text


def shout(question: str) -> str:
    return config.client.models.generate_content(model=MODEL, contents=question).text.upper()
