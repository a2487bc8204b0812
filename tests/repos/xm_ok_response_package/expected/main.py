from pkg import ask
import pkg

print(ask("x").choices[0].message.content)
print(pkg.ask("y").choices[0].message.content)
