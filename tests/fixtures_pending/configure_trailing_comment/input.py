import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])  # set in .env, never commit it

model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Pick a random colour.").text)
