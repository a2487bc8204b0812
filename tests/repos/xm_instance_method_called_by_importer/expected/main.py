import PIL.Image

from bots import bot

# The only call of Bot.ask this module makes passes a picture and a question.
PIL.Image.new("RGB", (4, 3), (200, 30, 60)).save("picture.png")
print(bot.ask([PIL.Image.open("picture.png"), "Which colour is this?"]))
