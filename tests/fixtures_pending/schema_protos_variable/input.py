import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

# A schema kept in a variable, read only by the generation config
sentiment = genai.protos.Schema(
    type_=genai.protos.Type.STRING,
    format_="enum",
    enum=["positive", "neutral", "negative"],
)

model = genai.GenerativeModel(
    "gemini-2.5-flash",
    generation_config={"response_mime_type": "application/json", "response_schema": sentiment},
)
response = model.generate_content("Classify: I love this phone.")
print(response.text)
