import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel(
    "gemini-2.0-flash",
    system_instruction="You are a support bot. Answer in one sentence.",
    generation_config={"temperature": 0.3, "top_p": 0.9, "max_output_tokens": 200},
)
