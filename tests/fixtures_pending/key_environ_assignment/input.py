import os

import google.generativeai as genai

# Notebook cell 1: set the key.
os.environ["GOOGLE_API_KEY"] = "AIzaSyE2222222222cccccccccddddddddddeee"

genai.configure(api_key=os.environ["GOOGLE_API_KEY"])
model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("What is a vector database?").text)
