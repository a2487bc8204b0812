import os

import google.generativeai as genai
from google.generativeai.types import HarmBlockThreshold, HarmCategory

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

# Let the model talk about medieval battles
safety_settings = {
    HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT: HarmBlockThreshold.BLOCK_NONE,
    HarmCategory.HARM_CATEGORY_HARASSMENT: HarmBlockThreshold.BLOCK_ONLY_HIGH,
}

model = genai.GenerativeModel("gemini-1.5-flash", safety_settings=safety_settings)
response = model.generate_content(
    "Describe a siege in two sentences.",
    safety_settings=[
        {
            "category": genai.types.HarmCategory.HARM_CATEGORY_HATE_SPEECH,
            "threshold": genai.types.HarmBlockThreshold.BLOCK_NONE,
        }
    ],
)
print(response.text)
