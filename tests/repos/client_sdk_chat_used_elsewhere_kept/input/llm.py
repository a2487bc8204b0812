import os

from google import genai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])
chat = client.chats.create(model="gemini-2.5-flash")


def ask(question: str) -> str:
    return client.models.generate_content(model="gemini-2.5-flash", contents=question).text
