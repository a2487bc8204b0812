import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
SYSTEM = ["Be brief.", "Be kind."]
model = genai.GenerativeModel("gemini-2.0-flash", system_instruction=SYSTEM)
other = genai.GenerativeModel("gemini-2.0-flash", system_instruction=["Be odd.", "Be even."])
