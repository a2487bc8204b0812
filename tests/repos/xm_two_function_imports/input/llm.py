import google.generativeai as genai

SYSTEM = "You are a pirate."
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction=SYSTEM)
