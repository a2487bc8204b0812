from app import model
from app.summary import summarise
from app.llm import client

print(client.chat.completions.create(
    model=model,
    messages=[{"role": "user", "content": "Name a colour."}],
    temperature=0.0,
).choices[0].message.content)
print(summarise("A long text about colours."))
