from pkg.app import ask

print(ask("hi"))
