import sys

import llm

print(llm.ask("Name a river."))
if "--chat" in sys.argv:
    print(llm.chat.send_message("hi").text)
