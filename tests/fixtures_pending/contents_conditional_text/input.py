import os
import sys

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

question = sys.argv[1] if len(sys.argv) > 1 else "What is the capital of Peru?"
# One-shot answer, no model variable
answer = genai.GenerativeModel("gemini-1.5-flash").generate_content(question).text
print(answer)
