"""The one place the Gemini client is made."""
import os

from google import genai

client = genai.Client(api_key=os.environ.get("GEMINI_API_KEY"))
MODEL = "gemini-2.5-flash"
