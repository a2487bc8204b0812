import google.generativeai as genai

model = genai.GenerativeModel("gemini-2.0-flash", system_instruction="You are A.", generation_config={"temperature": 0.3})
