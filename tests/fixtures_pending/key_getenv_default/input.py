import os

import google.generativeai as genai

# Falls back to the developer's own key when the variable is not set.
genai.configure(api_key=os.getenv("GEMINI_API_KEY", "AIzaSyD1111111111aaaaaaaaaabbbbbbbbbbcc"))

model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Define entropy briefly.").text)
