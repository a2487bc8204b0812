from m8 import model
from m0 import client

print(client.chat.completions.create(
    model=model,
    messages=[
        {"role": "system", "content": "You are A."},
        {"role": "user", "content": "hi"},
    ],
).choices[0].message.content)
