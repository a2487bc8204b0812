from pkg import ask
import pkg

print(ask("x").text)
print(pkg.ask("y").text)
