import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
PERSONA = "a pirate"
model = genai.GenerativeModel(
    "gemini-2.0-flash",
    system_instruction=f"You are {PERSONA}.",
    generation_config={"temperature": float(os.environ.get("TEMPERATURE", "0.7"))},
)
