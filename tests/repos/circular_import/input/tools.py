import bot


def ask(question):
    return bot.model.generate_content(question).text
