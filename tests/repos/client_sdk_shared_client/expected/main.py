from handlers import answer, shout

print(answer("What is 2 + 2?"))
print(shout("Say hi."))
