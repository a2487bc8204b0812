import config
from config import MODEL, client


def answer(question: str) -> str:
    response = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": question},
        ],
        temperature=0.1,
    )
    return response.choices[0].message.content


def shout(question: str) -> str:
    return config.client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": question}],
    ).choices[0].message.content.upper()
