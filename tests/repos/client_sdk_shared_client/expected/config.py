"""The one place the Gemini client is made."""
import os

from openai import OpenAI


def _genai2openai_missing_key():
    """genai.Client() without a key raised this ValueError where the client was made
    (OpenAI() would read OPENAI_API_KEY instead)."""
    raise ValueError(
        "No API key was provided. Please pass a valid API key. Learn how to"
        " create an API key at https://aistudio.google.com/docs/api-key."
    )


client = OpenAI(
    api_key=os.environ.get("GEMINI_API_KEY")
    or os.environ.get("GOOGLE_API_KEY")
    or _genai2openai_missing_key(),
    base_url="https://generativelanguage.googleapis.com/v1beta/openai/",
    max_retries=0,
)
MODEL = "gemini-2.5-flash"
