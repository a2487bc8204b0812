import google.generativeai as genai

model = genai.GenerativeModel("gemini-2.5-flash", system_instruction="You are B.", generation_config={"temperature": 0.1})
