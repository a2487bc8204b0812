from llm import get_model, client

model = get_model()
print(client.chat.completions.create(
    model=model,
    messages=[
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
    ],
).choices[0].message.content)
print(client.chat.completions.create(
    model=get_model(),
    messages=[
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Bye"},
    ],
).choices[0].message.content)
