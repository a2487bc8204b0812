import bot

print(bot.run("What is 2 + 2?"))
