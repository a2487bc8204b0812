import os
import pathlib

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash", generation_config={"temperature": 0})

# A PDF sent inline becomes a file part
report = pathlib.Path("report.pdf")
response = model.generate_content(
    [
        "Summarise this report in one sentence.",
        {"mime_type": "application/pdf", "data": report.read_bytes()},
    ]
)
print(response.text)
