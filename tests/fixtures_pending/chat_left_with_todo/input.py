import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

generation_config = {
  "temperature": 1,
  "max_output_tokens": 8192,
}

model = genai.GenerativeModel(
  model_name="gemini-1.5-flash",
  generation_config=generation_config,
)

chat_session = model.start_chat(
  history=[
    {"role": "user", "parts": ["hi"]},
    {"role": "model", "parts": ["Hello! How can I help?"]},
  ]
)

# Keep the conversation going
response = chat_session.send_message("Tell me a joke.")
print(response.text)
