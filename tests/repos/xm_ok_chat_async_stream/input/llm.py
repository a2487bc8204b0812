import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
PERSONA = "a pirate"
model = genai.GenerativeModel(
    "gemini-2.0-flash",
    system_instruction=f"You are {PERSONA}.",
    generation_config=genai.GenerationConfig(temperature=0.5, max_output_tokens=50, stop_sequences=["END"]),
)
