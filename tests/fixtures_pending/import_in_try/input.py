import os
import sys

try:
    import google.generativeai as genai
except ImportError:
    # Tell the user what to install instead of a traceback.
    print("Please run: pip install google-generativeai")
    sys.exit(1)

genai.configure(api_key=os.environ["GEMINI_API_KEY"])
model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Explain recursion in one sentence.").text)
