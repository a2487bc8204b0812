import os

from google import genai

client = genai.Client(api_key=os.environ["GEMINI_API_KEY"])


def ask(question: str):
    return client.models.generate_content(model="gemini-2.5-flash", contents=question)


greeting = client.models.generate_content(model="gemini-2.5-flash", contents="Say hi")
