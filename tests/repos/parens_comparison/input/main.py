import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-2.0-flash")
r = model.generate_content("a")
print("echo" in(r.text))
print(r.text if(r.text)else None)
