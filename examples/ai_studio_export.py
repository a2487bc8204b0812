"""
Install the Google AI Python SDK

$ pip install google-generativeai
"""

import google.generativeai as genai

# TODO: move the key out of the code before sharing
genai.configure(api_key="AIzaSyExampleExampleExampleExample12345")

# Create the model
generation_config = {
  "temperature": 1,
  "top_p": 0.95,
  "top_k": 40,
  "max_output_tokens": 8192,
  "response_mime_type": "text/plain",
}

model = genai.GenerativeModel(
  model_name="gemini-2.5-flash",
  generation_config=generation_config,
  system_instruction="You are a friendly travel guide. Answer in three sentences.",
)

response = model.generate_content("What should I see in Lisbon?")

print(response.text)
print("tokens used:", response.usage_metadata.total_token_count)
