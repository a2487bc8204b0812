import os

import google.generativeai as genai
from openai import OpenAI

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
client = OpenAI(
    api_key=os.environ["GEMINI_API_KEY"],
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
)
model = "gemini-2.0-flash"
