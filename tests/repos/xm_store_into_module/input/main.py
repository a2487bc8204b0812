import google.generativeai as genai

import app
import llm

llm.model = genai.GenerativeModel("gemini-2.5-flash", system_instruction="You are B.")
print(app.ask("hi"))
print(genai.GenerativeModel("gemini-2.0-flash").generate_content("bye").text)
