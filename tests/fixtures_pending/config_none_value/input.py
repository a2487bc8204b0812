import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

# No output limit: None leaves the model's default
config = genai.GenerationConfig(temperature=0.7, max_output_tokens=None)
model = genai.GenerativeModel("gemini-1.5-flash", generation_config=config)
print(model.generate_content("List the planets.").text)
