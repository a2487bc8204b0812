import sys

import llm

print(llm.ask("Name a river."))
if "--chat" in sys.argv:
    # TODO(genai2openai): `chat` comes from llm.py, which keeps it on genai: genai2openai follows models, their factories and their (not streamed) responses across modules; this object is none of them (a chat, a stream, a config)
    print(llm.chat.send_message("hi").text)
