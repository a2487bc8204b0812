import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GEMINI_API_KEY"])

model = genai.GenerativeModel("gemini-2.5-flash")

# wav and mp3 audio become input_audio parts
with open("clip.wav", "rb") as f:
    clip = f.read()
response = model.generate_content(["Transcribe this recording.", {"mime_type": "audio/wav", "data": clip}])
print(response.text)

with open("song.mp3", "rb") as f:
    print(model.generate_content([{"mime_type": "audio/mpeg", "data": f.read()}, "Name the song."]).text)
