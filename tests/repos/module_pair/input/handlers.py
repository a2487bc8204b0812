from config import model


def handle(question: str) -> str:
    try:
        return model.generate_content(question).text
    except Exception as exc:  # the bot answers with the error text
        return f"Sorry: {exc}"
