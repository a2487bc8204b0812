import google.generativeai as genai

SYSTEM = "You are thorough."
model = genai.GenerativeModel("gemini-2.5-flash", system_instruction=SYSTEM)
