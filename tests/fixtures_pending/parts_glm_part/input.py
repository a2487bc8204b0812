import os

import google.ai.generativelanguage as glm
import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# google.ai.generativelanguage (glm) holds the same Part and Blob classes as genai.protos
with open("logo.png", "rb") as f:
    logo = f.read()
response = model.generate_content(
    [glm.Part(text="Describe this logo."), glm.Part(inline_data=glm.Blob(mime_type="image/png", data=logo))]
)
print(response.text)
