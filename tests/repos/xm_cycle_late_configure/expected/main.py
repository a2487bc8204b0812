import llm
import app

print(app.ask("hi"))
