import llm

reply = llm.client.chat.completions.create(
    model=llm.model,
    messages=[
        {"role": "system", "content": f"You are {llm.PERSONA}."},
        {"role": "user", "content": "Greet me."},
    ],
    temperature=llm.model_temperature,
)
print(reply.choices[0].message.content)
