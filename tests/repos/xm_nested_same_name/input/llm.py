import google.generativeai as genai

model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are A.")
